#!/usr/bin/env bash
# The whole test suite, from a bare machine: installs and starts what the tests need (Docker engine, the
# local busybox image), builds with a Java 21+ JDK, runs every module's tests, then checks that no
# container made by the tests is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-env.sh
source scripts/java-env.sh

mvn -B -ntp verify "$@"

left=$(docker ps -aq --filter label=io.ccc.job; docker ps -aq --filter label=io.ccc.tck)
if [ -n "$left" ]; then
  echo "[test] containers left behind by the tests:" >&2
  docker ps -a --filter label=io.ccc.job --filter label=io.ccc.tck >&2
  exit 1
fi
echo "[test] no containers left behind"
