#!/usr/bin/env bash
# Starts the whole pipeline on this machine: Kafka, the schema registry, PostgreSQL, the VMA
# simulator and the services. Builds first when the sources changed since the last build (the
# first time: a few minutes); later starts go straight to the JVM.
# Data is kept in ./data (MIGRATEKIT_DATA_DIR); Ctrl-C stops everything (exit 0).
set -euo pipefail
cd "$(dirname "$0")"
jar=standalone/target/migratekit-standalone-app.jar

# A build is needed when the jar is missing or any pom or source file is newer than it.
stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find . -path ./data -prune -o -path '*/target' -prune -o -path ./.git -prune -o \
      \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$jar" -print -quit)" ]
}
if stale; then
  echo "Building the standalone stack (sources changed since the last build)…"
  mvn -B -q -DskipTests install -pl standalone -am
fi

# The JVM runs in a session of its own, so that Ctrl-C (sent to the terminal's whole process
# group) reaches only this script, which asks the JVM to stop: the services first, then the
# infrastructure they use, in order.
$(command -v setsid || true) java ${MIGRATEKIT_JAVA_OPTS:--Xmx1g} -jar "$jar" &
java_pid=$!
stopping=
trap 'stopping=yes; kill -TERM "$java_pid" 2>/dev/null || true' INT TERM
status=0
while :; do
  wait "$java_pid" && status=0 || status=$?
  kill -0 "$java_pid" 2>/dev/null || break
done
# A JVM that stopped because we asked it to (SIGTERM: 143) stopped cleanly.
if [ -n "$stopping" ] && [ "$status" -eq 143 ]; then
  exit 0
fi
exit "$status"
