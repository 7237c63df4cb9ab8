# Sourced by the bench scripts: builds ccc-redis with its test classpath, starts a throwaway redis-server, and
# installs Node (for BullMQ and autocannon) when missing.

# Builds ccc-redis (and what it needs); leaves its test classpath in ccc-redis/target/bench.classpath.
build_redis_bench() {
  command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
  source scripts/java-env.sh
  mvn -q -B -ntp install -DskipTests -pl ccc-redis -am
  mvn -q -B -ntp -pl ccc-redis dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
  BENCH_CP="ccc-redis/target/test-classes:ccc-redis/target/classes:$(cat ccc-redis/target/bench.classpath)"
}

# Starts redis-server on 127.0.0.1:$1 (no persistence) and stops it when the script exits.
start_bench_redis() {
  local port=$1
  BENCH_DIR=$(mktemp -d)
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes --dir "$BENCH_DIR" \
    --pidfile "$BENCH_DIR/redis.pid" --logfile "$BENCH_DIR/redis.log"
  trap stop_bench_redis EXIT
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
}

# Stops the redis-server of start_bench_redis (a script with a trap of its own calls this from it).
stop_bench_redis() {
  kill "$(cat "$BENCH_DIR/redis.pid" 2>/dev/null)" 2>/dev/null || true
  rm -rf "$BENCH_DIR"
}

# Node and npm from Debian when missing (BullMQ and autocannon need Node 18 or later).
need_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
}
