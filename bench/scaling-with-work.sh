#!/usr/bin/env bash
# Cost per operation as work piles up: with 10k, 100k and 1M jobs queued in Redis, submit and drain 10,000 more
# and time single calls. Flat rows = no O(n) step on the hot path. Needs ~3 GB of memory for 1M jobs.
# Usage: bash bench/scaling-with-work.sh [depths=10000,100000,1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
DEPTHS=${1:-10000,100000,1000000}
PORT=${BENCH_REDIS_PORT:-16394}
source bench/lib.sh
build_redis_bench
start_bench_redis "$PORT"
echo "commit $(git rev-parse --short HEAD), redis $(redis-server --version | awk '{print $3}'), $(nproc) cores"
"$JAVA_HOME/bin/java" -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" \
  io.ccc.redis.RedisScalingBenchmark "redis://127.0.0.1:$PORT" "$DEPTHS"
