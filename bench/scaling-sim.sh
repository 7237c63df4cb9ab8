#!/usr/bin/env bash
# Simulates a bursty day of jobs under ccc's ScalingPolicy and under the original's rules, side by side.
# Usage: bash bench/scaling-sim.sh [seed=42]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-env.sh
mvn -q -B -ntp install -DskipTests -pl ccc-core
mvn -q -B -ntp -pl ccc-core test-compile
mvn -q -B -ntp -pl ccc-core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/sim.classpath >/dev/null
"$JAVA_HOME/bin/java" -cp "ccc-core/target/test-classes:ccc-core/target/classes:$(cat ccc-core/target/sim.classpath)" \
  io.ccc.scaling.ScalingSimulation "${1:-42}"
