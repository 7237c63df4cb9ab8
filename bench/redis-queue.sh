#!/usr/bin/env bash
# Queue + job store throughput on a real Redis: N no-op jobs submitted, then drained by W worker threads.
# Usage: bash bench/redis-queue.sh [N=20000] [W=8]
# Starts its own redis-server on 127.0.0.1:16390 (no persistence), stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
N=${1:-20000}
W=${2:-8}
PORT=${BENCH_REDIS_PORT:-16390}
build_redis_bench
start_bench_redis "$PORT"
echo "commit $(git rev-parse --short HEAD), redis $(redis-server --version | awk '{print $3}'), $(nproc) cores"
"$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" io.ccc.redis.RedisQueueBenchmark "$N" "$W" "redis://127.0.0.1:$PORT"
