#!/usr/bin/env bash
# Queue throughput, ccc vs BullMQ, on one Redis started here: N no-op jobs submitted by W/2 producers, then
# drained by W workers (ccc: W threads with the worker's durable protocol; BullMQ: one worker, concurrency W,
# job records kept). Prints both and the ratio last.   Usage: bash bench/queue-vs-bullmq.sh [N=20000] [W=8]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
W=${2:-8}
PORT=${BENCH_REDIS_PORT:-16391}
command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
command -v node >/dev/null || { echo "node (20) is needed for BullMQ" >&2; exit 1; }
(cd bench/bullmq && npm install --silent --no-audit --no-fund >/dev/null)
source scripts/java-env.sh
mvn -q -B -ntp install -DskipTests -pl ccc-redis -am
mvn -q -B -ntp -pl ccc-redis dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null

dir=$(mktemp -d)
redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --daemonize yes --dir "$dir" \
  --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
trap 'kill "$(cat "$dir/redis.pid")" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

echo "commit $(git rev-parse --short HEAD), redis $(redis-server --version | awk '{print $3}'), $(nproc) cores, node $(node --version)"
echo "== ccc"
ccc=$("$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "ccc-redis/target/test-classes:ccc-redis/target/classes:$(cat ccc-redis/target/bench.classpath)" \
  io.ccc.redis.RedisQueueBenchmark "$N" "$W" "redis://127.0.0.1:$PORT")
echo "$ccc"
echo "== BullMQ"
bull=$(node bench/bullmq/queue.mjs "$N" "$W" "$PORT")
echo "$bull"
c=$(echo "$ccc" | awk '/^drain:/ {print $2}')
b=$(echo "$bull" | awk '/^drain:/ {print $2}')
echo "drain ccc / BullMQ: $(awk -v c="$c" -v b="$b" 'BEGIN {printf "%.2f", c / b}') (target >= 1.5)"
