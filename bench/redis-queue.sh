#!/usr/bin/env bash
# Queue + job store throughput on a real Redis: N no-op jobs submitted, then drained by W worker threads.
# Usage: bash bench/redis-queue.sh [N=20000] [W=8]
# Starts its own redis-server on 127.0.0.1:16390 (no persistence), stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
W=${2:-8}
PORT=${BENCH_REDIS_PORT:-16390}
command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
source scripts/java-env.sh

mvn -q -B -ntp install -DskipTests -pl ccc-redis -am
mvn -q -B -ntp -pl ccc-redis dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null

dir=$(mktemp -d)
redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --daemonize yes --dir "$dir" \
  --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
trap 'kill "$(cat "$dir/redis.pid")" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

echo "commit $(git rev-parse --short HEAD), redis $(redis-server --version | awk '{print $3}'), $(nproc) cores"
java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "ccc-redis/target/test-classes:ccc-redis/target/classes:$(cat ccc-redis/target/bench.classpath)" \
  io.ccc.redis.RedisQueueBenchmark "$N" "$W" "redis://127.0.0.1:$PORT"
