#!/bin/sh
# Runs once, on the first start of an empty data directory (docker-entrypoint-initdb.d): creates the
# read model's database and the registry's storage database, each owned by its own role. The
# passwords come from the container's environment, never from this file.
set -eu

: "${MIGRATEKIT_DB_PASSWORD:?set MIGRATEKIT_DB_PASSWORD}"
: "${REGISTRY_DB_PASSWORD:?set REGISTRY_DB_PASSWORD}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v migratekit_password="$MIGRATEKIT_DB_PASSWORD" \
    -v registry_password="$REGISTRY_DB_PASSWORD" <<'SQL'
CREATE ROLE migratekit LOGIN PASSWORD :'migratekit_password';
CREATE DATABASE migratekit OWNER migratekit;
CREATE ROLE apicurio LOGIN PASSWORD :'registry_password';
CREATE DATABASE registry OWNER apicurio;
SQL
