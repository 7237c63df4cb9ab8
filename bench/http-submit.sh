#!/usr/bin/env bash
# HTTP submission rate: STANDARD jobs with one small inline input POSTed to /api/v1/jobs by autocannon, against a
# server with its worker off (DISABLE_WORKER=true: jobs stay queued) on Redis (queue + store) and local storage.
# Then the raw Redis ceiling of the same work: redis-benchmark running the very script a submission runs
# (queue-enqueue: job record, indexes, queue entry), same connections. Prints both and the ratio last.
# Usage: bash bench/http-submit.sh [seconds per round=15] [connections=32]
#   (BENCH_WARMUP=30 seconds of warm-up first, BENCH_ROUNDS=3 rounds, the median printed)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-15}
CONNS=${2:-32}
PORT=${BENCH_HTTP_PORT:-19001}
RPORT=${BENCH_REDIS_PORT:-16393}
source bench/lib.sh
need_node
(cd bench/http && npm install --silent --no-audit --no-fund >/dev/null)
need_redis
start_bench_redis "$RPORT"
start_bench_server "$PORT" DISABLE_WORKER=true CCC_QUEUE=redis CCC_STORE=redis CCC_REDIS_URI="redis://127.0.0.1:$RPORT" CCC_REDIS_PREFIX=bench

echo "commit $(git rev-parse --short HEAD), redis $(redis-server --version | awk '{print $3}'), $(nproc) cores, $CONNS connections, ${SECS}s rounds"
body='{"image":"local/busybox:1","command":["sh","-c","cat /inputs/in.txt"],"inputs":[{"name":"in.txt","value":"a small input"}],"labels":{"bench":"http"}}'
load() { # seconds -> autocannon JSON
  node bench/http/node_modules/autocannon/autocannon.js -j -c "$CONNS" -d "$1" -m POST -H 'Content-Type: application/json' \
    -b "$body" "http://127.0.0.1:$PORT/api/v1/jobs" 2>/dev/null
}
load ${BENCH_WARMUP:-30} >/dev/null # warm-up: JIT, connection pools
ROUNDS=${BENCH_ROUNDS:-3}
rates=()
for r in $(seq 1 "$ROUNDS"); do
  result=$(load "$SECS")
  python3 - "$result" "$r" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print(f"round {sys.argv[2]}: {r['2xx'] / r['duration']:.0f} submissions/s (201s: {r['2xx']}, other answers: {r['non2xx']}, "
      f"errors: {r['errors']}), latency p50 {r['latency']['p50']} ms, p99 {r['latency']['p99']} ms")
if r["non2xx"] or r["errors"]:
    sys.exit("some submissions failed")
PY
  rates+=("$(echo "$result" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(round(r["2xx"]/r["duration"]))')")
done
queued=$(curl -sf "localhost:$PORT/api/v1/queue" | python3 -c 'import json,sys; print(sum(l["ready"] for l in json.load(sys.stdin)["lanes"].values()))')
echo "jobs queued in Redis afterwards: $queued (warm-up + rounds; the worker is off)"
http_rate=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

# The ceiling: the submission's one Redis step, run by redis-benchmark with the same job JSON and event.
res=ccc-redis/src/main/resources/io/ccc/redis
sha=$(redis-cli -p "$RPORT" script load "$(cat $res/queue-common.lua $res/store-create-common.lua $res/queue-enqueue.lua)")
job=$(redis-cli -p "$RPORT" --scan --pattern '{bench}:job:*' | awk 'NR == 1')
json=$(redis-cli -p "$RPORT" hget "$job" d)
event='{"jobId":"x","state":"QUEUED","attempt":0,"version":1,"time":"2026-01-01T00:00:00Z"}'
p='{ceil}:'
id='01234567-__rand_int__' # a fresh id per call (-r must fit an int, or every call reuses one id)
ceiling=$(redis-benchmark -p "$RPORT" -c "$CONNS" -n 100000 -r 100000000 -q evalsha "$sha" 11 \
  "${p}q:meta" "${p}q:ready:STANDARD" "${p}q:seq" "${p}q:signal" "${p}job:$id" "${p}jobs:all" "${p}jobs:state:QUEUED" \
  "${p}stats" "${p}jobs:kind:STANDARD" "${p}jobs:label:bench=http" "${p}jobs:label:x=y" \
  STANDARD 0 "$id" "$json" QUEUED "${p}jobs:kind:STANDARD" "$event" "${p}events" | tr '\r' '\n' \
  | grep -o '[0-9.]* requests per second' | tail -1 | cut -d' ' -f1)
echo "Redis ceiling (redis-benchmark, the enqueue script, $CONNS connections): ${ceiling%.*} submissions/s"
echo "HTTP / Redis ceiling: $(awk -v h="$http_rate" -v c="$ceiling" 'BEGIN {printf "%.2f", h / c}')"
echo "HTTP submissions/s, median of $ROUNDS rounds: $http_rate (target >= 2000)"
