#!/usr/bin/env bash
# Queue throughput, ccc vs BullMQ, on one Redis started here: N no-op jobs submitted by W/2 producers, then
# drained by W workers (ccc: W threads with the worker's durable protocol; BullMQ: one worker, concurrency W,
# job records kept). Prints both and the ratio last.   Usage: bash bench/queue-vs-bullmq.sh [N=20000] [W=8]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
W=${2:-8}
PORT=${BENCH_REDIS_PORT:-16391}
source bench/lib.sh
command -v node >/dev/null || { echo "node (20) is needed for BullMQ" >&2; exit 1; }
(cd bench/bullmq && npm install --silent --no-audit --no-fund >/dev/null)
build_redis_bench
start_bench_redis "$PORT"

echo "commit $(git rev-parse --short HEAD), redis $(redis-server --version | awk '{print $3}'), $(nproc) cores, node $(node --version)"
echo "== ccc"
ccc=$("$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" \
  io.ccc.redis.RedisQueueBenchmark "$N" "$W" "redis://127.0.0.1:$PORT")
echo "$ccc"
echo "== BullMQ"
bull=$(node bench/bullmq/queue.mjs "$N" "$W" "$PORT")
echo "$bull"
c=$(echo "$ccc" | awk '/^drain:/ {print $2}')
b=$(echo "$bull" | awk '/^drain:/ {print $2}')
echo "drain ccc / BullMQ: $(awk -v c="$c" -v b="$b" 'BEGIN {printf "%.2f", c / b}') (target >= 1.5)"
