#!/usr/bin/env bash
# End to end: the database tools of the executable on the cluster `dataplane up` runs —
# `dataplane db maintain` refreshes the statistics of events just ingested, GET /v1/stats/jobs
# serves them, `dataplane db monitor` reports as text and as JSON, and the database/scripts
# wrappers run the same commands, and `dataplane migrate` twice changes nothing and names the
# backend.
# Usage: db_commands.sh <path-to-dataplane> <backend: postgres | timescaledb>
# The timescaledb run exits 77 (skipped) where the extension is not installed.
set -euo pipefail
dataplane=$1
backend=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$backend" = timescaledb ] && ! "$root/scripts/timescaledb" status >/dev/null; then
  echo "SKIPPED: TimescaleDB is not installed (TIMESCALEDB_SOURCE=<tarball> scripts/timescaledb ensure)"
  exit 77
fi
var=$(mktemp -d /tmp/dataplane-e2e-XXXXXX)
port=$(perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen=>1,LocalAddr=>"127.0.0.1:0")->sockport')
log=$var/up.log
cleanup() {
  [ -n "${pid:-}" ] && kill -TERM "$pid" 2>/dev/null || true
  [ -n "${pid:-}" ] && wait "$pid" 2>/dev/null || true
  [ -d "$var/pg/data" ] && "$root/scripts/pg" stop "$var/pg" >/dev/null 2>&1 || true
  rm -rf "$var"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- up log:"; cat "$log"; exit 1; }
passed=0

PORT=$port "$dataplane" up --var "$var" --no-demo --central-port 0 --backend "$backend" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/v1/healthz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || fail "dataplane up exited early"
  sleep 0.5
done
export DATABASE_URL
DATABASE_URL=$("$root/scripts/pg" url "$var/pg")

for round in 1 2; do
  out=$("$dataplane" migrate 2>/dev/null) || fail "migrate (round $round) exited non-zero"
  [[ "$out" == *"migrations: 0 applied, 3 already current"* ]] || fail "migrate changed something: $out"
  [[ "$out" == *"backend: $backend"* ]] || fail "migrate does not name backend $backend: $out"
done
passed=$((passed + 1))

# One finished job, an hour ago.
at=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%S.000000Z)
job=$(cat /proc/sys/kernel/random/uuid)
event() {
  printf '{"idempotency_key":"%s","site_id":"e2e","app":{"app_id":"6f1c1a52-8d43-4b7e-9a55-0d1c2b3a4f5e","name":"litho"},"entity":{"type":"job","id":"%s"},"event":{"kind":"%s","at":"%s"%s}}' \
    "$(cat /proc/sys/kernel/random/uuid)" "$job" "$1" "$at" "$2"
}
curl -sf -X POST "http://127.0.0.1:$port/v1/events/batch" -H 'Content-Type: application/json' \
  -d "[$(event started ''),$(event finished ',"status":"succeeded","metrics":{"duration_s":42}')]" \
  | grep -q '"inserted":2' || fail "ingest"

out=$("$dataplane" db maintain --json) || fail "db maintain exited non-zero"
[[ "$out" == *'"aggregate":"job_hourly_stats","buckets":1'* ]] || fail "db maintain: $out"
passed=$((passed + 1))

stats=$(curl -sf "http://127.0.0.1:$port/v1/stats/jobs?site_id=e2e&group_by=site")
[[ "$stats" == *'"job_count":1,"succeeded_count":1'* ]] || fail "stats: $stats"
passed=$((passed + 1))

text=$("$dataplane" db monitor) || fail "db monitor exited non-zero"
grep -q "^  backend $backend\$" <<<"$text" || fail "db monitor does not name backend $backend: $text"
for section in tables aggregates compression "slow queries" replication "archive backlog"; do
  grep -q "^$section\$" <<<"$text" || fail "db monitor has no '$section' section: $text"
done
passed=$((passed + 1))

json=$(DATAPLANE_BIN=$dataplane "$root/database/scripts/monitor" --json) || fail "scripts/monitor"
[[ "$json" == '{'*'"archive_backlog"'*'}' ]] || fail "db monitor --json: $json"
DATAPLANE_BIN=$dataplane "$root/database/scripts/maintenance.sh" | grep -q "^alerts created: " \
  || fail "scripts/maintenance.sh"
passed=$((passed + 1))

DATABASE_URL=postgresql://nobody@127.0.0.1:1/none "$dataplane" db monitor 2>/dev/null \
  && fail "db monitor succeeded without a database"
passed=$((passed + 1))
echo "$passed passed, 0 failed"
