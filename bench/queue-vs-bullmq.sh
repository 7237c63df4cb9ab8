#!/usr/bin/env bash
# Queue throughput, ccc vs BullMQ, on one Redis started here: N no-op jobs submitted by W/2 producers, then
# drained with W slots (ccc: a claiming thread and W slot threads making the worker's calls; BullMQ: one worker,
# concurrency W, job records kept), then a mixed run (producers and workers at once). Rounds alternate ccc and
# BullMQ; the medians are printed and the ratio last.   Usage: bash bench/queue-vs-bullmq.sh [N=20000] [W=8] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
W=${2:-8}
PORT=${BENCH_REDIS_PORT:-16391}
source bench/lib.sh
need_node
(cd bench/bullmq && npm install --silent --no-audit --no-fund >/dev/null)
build_redis_bench
start_bench_redis "$PORT"

ROUNDS=${3:-3}
echo "commit $(git rev-parse --short HEAD), redis $(redis-server --version | awk '{print $3}'), $(nproc) cores, node $(node --version), $ROUNDS rounds"
cd_rates=(); cm_rates=(); bd_rates=(); bm_rates=()
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r: ccc"
  ccc=$("$JAVA_HOME/bin/java" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_CP" \
    io.ccc.redis.RedisQueueBenchmark "$N" "$W" "redis://127.0.0.1:$PORT")
  echo "$ccc"
  echo "== round $r: BullMQ"
  bull=$(node bench/bullmq/queue.mjs "$N" "$W" "$PORT")
  echo "$bull"
  cd_rates+=("$(echo "$ccc" | awk '/^drain:/ {print $2}')"); cm_rates+=("$(echo "$ccc" | awk '/^mixed:/ {print $2}')")
  bd_rates+=("$(echo "$bull" | awk '/^drain:/ {print $2}')"); bm_rates+=("$(echo "$bull" | awk '/^mixed:/ {print $2}')")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
cd_m=$(median "${cd_rates[@]}"); cm_m=$(median "${cm_rates[@]}"); bd_m=$(median "${bd_rates[@]}"); bm_m=$(median "${bm_rates[@]}")
echo "== medians of $ROUNDS rounds (jobs/s)"
echo "drain: ccc $cd_m, BullMQ $bd_m;  mixed: ccc $cm_m, BullMQ $bm_m"
echo "mixed ccc / BullMQ: $(awk -v c="$cm_m" -v b="$bm_m" 'BEGIN {printf "%.2f", c / b}')"
echo "drain ccc / BullMQ: $(awk -v c="$cd_m" -v b="$bd_m" 'BEGIN {printf "%.2f", c / b}') (target >= 1.5)"
