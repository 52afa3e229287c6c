#!/usr/bin/env bash
# Builds what the benchmark needs (first time: a few minutes) and runs it on the standalone stack, all of it
# in one JVM with the standalone launcher's heap (MIGRATEKIT_JAVA_OPTS, default -Xmx1g). Options are passed
# on (--help lists them). The report is printed and written to benchmarks/target/benchmark-report.md, the
# stack's log to benchmarks/target/benchmark-stack.log. A full run takes about ten minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests install -pl benchmarks -am
exec java ${MIGRATEKIT_JAVA_OPTS:--Xmx1g} -Dmigratekit.bench.log=benchmarks/target/benchmark-stack.log \
    -jar benchmarks/target/migratekit-benchmarks.jar --report=benchmarks/target/benchmark-report.md "$@"
