# Sourced by the bench scripts: installs what they need (redis-server, Node), builds the modules, and starts a
# throwaway redis-server and ccc server that are stopped when the script exits, however it exits.

# redis-server (and redis-cli, redis-benchmark) from Debian when missing.
need_redis() {
  command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
}

# Node and npm from Debian when missing (BullMQ and autocannon need Node 18 or later).
need_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
}

# Builds ccc-redis (and what it needs); leaves its test classpath in BENCH_CP.
build_redis_bench() {
  need_redis
  source scripts/java-env.sh
  mvn -q -B -ntp install -DskipTests -pl ccc-redis -am
  mvn -q -B -ntp -pl ccc-redis dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
  BENCH_CP="ccc-redis/target/test-classes:ccc-redis/target/classes:$(cat ccc-redis/target/bench.classpath)"
}

# Stops what the functions below started; the EXIT trap of every bench script.
bench_cleanup() {
  if [ -n "${BENCH_SERVER:-}" ]; then
    kill "$BENCH_SERVER" 2>/dev/null || true
    wait "$BENCH_SERVER" 2>/dev/null || true
    rm -rf "$BENCH_SERVER_DIR"
  fi
  if [ -n "${BENCH_DIR:-}" ]; then
    kill "$(cat "$BENCH_DIR/redis.pid" 2>/dev/null)" 2>/dev/null || true
    rm -rf "$BENCH_DIR"
  fi
}
trap bench_cleanup EXIT

# Starts redis-server on 127.0.0.1:$1 (no persistence).
start_bench_redis() {
  local port=$1
  BENCH_DIR=$(mktemp -d)
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes --dir "$BENCH_DIR" \
    --pidfile "$BENCH_DIR/redis.pid" --logfile "$BENCH_DIR/redis.log"
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
}

# Builds the HTTP server and starts it on port $1 with local storage in a temp folder, the environment given
# after the port (NAME=value ...) added; returns once it is ready, or prints its log and fails.
start_bench_server() {
  local port=$1
  shift
  source scripts/java-env.sh
  mvn -q -B -ntp install -DskipTests -pl ccc-http-helidon -am
  mvn -q -B -ntp -pl ccc-http-helidon dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile=target/runtime.classpath >/dev/null
  BENCH_SERVER_DIR=$(mktemp -d)
  env PORT="$port" CCC_STORAGE_DIR="$BENCH_SERVER_DIR" "$@" "$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "ccc-http-helidon/target/classes:$(cat ccc-http-helidon/target/runtime.classpath)" io.ccc.http.Main \
    > "$BENCH_SERVER_DIR/server.log" 2>&1 &
  BENCH_SERVER=$!
  for _ in $(seq 1 150); do curl -sf "localhost:$port/health/ready" >/dev/null && return; sleep 0.2; done
  cat "$BENCH_SERVER_DIR/server.log"
  return 1
}
