#!/usr/bin/env bash
# Builds what the standalone stack needs (first time: a few minutes) and starts the whole pipeline
# on this machine: Kafka, the schema registry, PostgreSQL, the VMA simulator and the services.
# Data is kept in ./data (MIGRATEKIT_DATA_DIR); Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -DskipTests install -pl standalone -am
exec java ${MIGRATEKIT_JAVA_OPTS:--Xmx1g} -jar standalone/target/migratekit-standalone-app.jar
