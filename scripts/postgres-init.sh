#!/bin/bash
# Runs once, when the compose stack's PostgreSQL initialises its volume:
# the sync's own database beside Temporal's.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v password="$CONTINUITY_DB_PASSWORD" <<'EOSQL'
CREATE USER continuity WITH PASSWORD :'password';
CREATE DATABASE continuity OWNER continuity;
EOSQL
