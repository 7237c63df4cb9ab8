#!/usr/bin/env bash
# Starts the ccc server on embedded defaults (in-memory queue and job store, files under ./ccc-data, the local
# Docker engine) on port 9000 (PORT overrides). On a fresh machine it first installs and starts what is missing
# (Docker engine, the local busybox image, Maven) and builds. Any CCC_* variable configures it (README).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${DISABLE_WORKER:-false}" != "true" ] && [ "${CCC_SERVER_MODE:-}" != "api" ]; then
  # the worker needs an engine; the API-only mode never touches one
  bash scripts/test-env.sh --docker-only
fi
source scripts/java-env.sh

mvn -q -B -ntp install -DskipTests -pl ccc-http-helidon -am
mvn -q -B -ntp -pl ccc-http-helidon dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile=target/runtime.classpath >/dev/null

export CCC_STORAGE_DIR=${CCC_STORAGE_DIR:-$PWD/ccc-data/storage}
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} \
  -cp "ccc-http-helidon/target/classes:$(cat ccc-http-helidon/target/runtime.classpath)" io.ccc.http.Main
