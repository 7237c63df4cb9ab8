#!/usr/bin/env bash
# FAST job latency through the HTTP API against `docker run --rm` of the same image and command, alternated in
# one run. Prints p50/p95/p99 of each, where a FAST job's time goes per phase, and the ratio last.
# Usage: bash bench/fast-vs-docker-run.sh [rounds=100]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-100}
PORT=${BENCH_HTTP_PORT:-19000}
bash scripts/test-env.sh --docker-only
source bench/lib.sh
start_bench_server "$PORT"
echo "commit $(git rev-parse --short HEAD), docker $(docker version --format '{{.Server.Version}}'), $(nproc) cores, $ROUNDS rounds"
python3 - "$PORT" "$ROUNDS" <<'PY'
import json, statistics, subprocess, sys, time, urllib.request
from datetime import datetime
port, rounds = int(sys.argv[1]), int(sys.argv[2])
spec = json.dumps({"image": "local/busybox:1", "command": ["true"],
                   "inputs": [{"name": "in.txt", "value": "small input"}]}).encode()
def fast():
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/jobs:run", data=spec, headers={"Content-Type": "application/json"})
    t = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        job = json.load(r)
    assert job["state"] == "SUCCEEDED", job
    return time.perf_counter() - t, job
def docker_run():
    t = time.perf_counter()
    subprocess.run(["docker", "run", "--rm", "--network", "none", "local/busybox:1", "true"], check=True)
    return time.perf_counter() - t
for _ in range(5):  # warm-up, not counted
    fast(); docker_run()
ccc, dock, phases = [], [], {}
def ts(s): return datetime.fromisoformat(s.replace("Z", "+00:00"))
for _ in range(rounds):  # alternated, so both see the same machine
    t, job = fast(); ccc.append(t)
    for name, span in job["phases"].items():
        phases.setdefault(name, []).append((ts(span["end"]) - ts(span["start"])).total_seconds())
    phases.setdefault("QUEUED", []).append((ts(job["startedAt"]) - ts(job["createdAt"])).total_seconds())
    dock.append(docker_run())
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
for name, xs in (("ccc FAST job (HTTP)", ccc), ("docker run --rm", dock)):
    print(f"{name:22s} p50 {pct(xs,50)*1000:6.0f} ms  p95 {pct(xs,95)*1000:6.0f} ms  p99 {pct(xs,99)*1000:6.0f} ms")
print("where a FAST job's time goes (median ms): " + ", ".join(f"{k} {statistics.median(v)*1000:.0f}" for k, v in phases.items()))
print(f"p50 ccc / docker run: {pct(ccc,50)/pct(dock,50):.2f} (target <= 1.00)")
PY
