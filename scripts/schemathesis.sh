#!/usr/bin/env bash
# Property-based check of the REST API with schemathesis: it generates requests
# from /api/openapi.json (valid ones and broken ones) and fails on any 5xx, or on
# any response that does not match the document.
#
# It runs against a real instance, `npm start` as a user runs it (Temporal dev
# server, worker, API, emulators with the demo tenant), in a temporary data
# directory on free ports, so it never touches ./data's sync state.
#
#   scripts/schemathesis.sh                 # ~2 minutes
#   SCHEMATHESIS_MAX_EXAMPLES=100 scripts/schemathesis.sh
#   KEEP_INSTANCE=1 scripts/schemathesis.sh # keep the instance's data and log
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

version=4.32.5
max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-15}
seed=${SCHEMATHESIS_SEED:-20251201}
# The tool is kept beside the data directory's other state; the instance gets its own directory.
venv="${DATA_DIR:-$root/data}/schemathesis-venv"
instance_dir=$(mktemp -d -t schemathesis-instance-XXXXXX)
instance_log="$instance_dir/instance.log"
instance_pid=""

log() { echo "[schemathesis +$SECONDS s] $*" >&2; }

cleanup() {
  if [ -n "$instance_pid" ] && kill -0 "$instance_pid" 2>/dev/null; then
    kill -TERM "$instance_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$instance_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$instance_pid" 2>/dev/null || true
  fi
  if [ -n "${KEEP_INSTANCE:-}" ]; then log "instance data and log kept in $instance_dir"; else rm -rf "$instance_dir"; fi
}
trap cleanup EXIT

if [ ! -x "$venv/bin/schemathesis" ] || ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$version"; then
  log "installing schemathesis $version into $venv"
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
api_port=$(free_port)
token=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')

log "starting an instance (npm start) in $instance_dir, API on port $api_port"
env -u TEMPORAL_ADDRESS -u DATABASE_URL -u M365_EMULATOR_URL -u GOOGLE_EMULATOR_URL \
  DATA_DIR="$instance_dir/data" \
  PORT="$api_port" \
  TEMPORAL_DEV_SERVER_PORT="$(free_port)" \
  TEMPORAL_UI_PORT="$(free_port)" \
  M365_EMULATOR_PORT="$(free_port)" \
  GOOGLE_EMULATOR_PORT="$(free_port)" \
  START_EMULATORS=true \
  API_TOKEN="$token" \
  LOG_LEVEL=warn \
  node --import tsx scripts/start.ts >"$instance_log" 2>&1 &
instance_pid=$!

api="http://127.0.0.1:$api_port"
wait_for() {
  local what=$1 deadline=$((SECONDS + $2)) check=$3
  until eval "$check"; do
    if ! kill -0 "$instance_pid" 2>/dev/null; then log "the instance stopped while waiting for $what:"; tail -n 40 "$instance_log" >&2; exit 1; fi
    if [ "$SECONDS" -ge "$deadline" ]; then log "gave up waiting for $what:"; tail -n 40 "$instance_log" >&2; exit 1; fi
    sleep 1
  done
}
wait_for "the API and Temporal" 240 '[ "$(curl -s -o /dev/null -w "%{http_code}" "$api/api/health")" = 200 ]'
# Real data for the generated requests to land on: the demo policy's users, started by its membership workflow.
wait_for "the demo users" 120 'curl -s -H "Authorization: Bearer $token" "$api/api/sync-status?status=Synced" | grep -q "\"userId\""'
log "instance ready; running schemathesis ($max_examples examples per operation, seed $seed)"

status=0
"$venv/bin/schemathesis" run "$api/api/openapi.json" \
  --checks not_a_server_error,response_schema_conformance \
  --header "Authorization: Bearer $token" \
  --max-examples "$max_examples" \
  --seed "$seed" \
  --request-timeout 60 \
  --suppress-health-check too_slow,filter_too_much \
  --report junit --report-dir "$instance_dir/report" \
  --output-sanitize true || status=$?

if [ "$status" -ne 0 ]; then
  log "schemathesis found problems (exit $status); the instance log ends with:"
  tail -n 40 "$instance_log" >&2
fi
exit "$status"
