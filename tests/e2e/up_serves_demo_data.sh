#!/usr/bin/env bash
# End to end: `dataplane up` (what `make run` starts) creates its private PostgreSQL, migrates,
# serves the demo workload's data on the Local API and, across sites, on the Central API, runs
# the archiver (its first run at start, its metrics on the Local API's /metrics), and stops
# everything on SIGTERM.
# Usage: up_serves_demo_data.sh <path-to-dataplane> <backend: postgres | timescaledb>
# The timescaledb run exits 77 (skipped) where the extension is not installed.
set -euo pipefail
dataplane=$1
backend=$2
if [ "$backend" = timescaledb ] && ! "$(dirname "$0")/../../scripts/timescaledb" status >/dev/null; then
  echo "SKIPPED: TimescaleDB is not installed (TIMESCALEDB_SOURCE=<tarball> scripts/timescaledb ensure)"
  exit 77
fi
var=$(mktemp -d /tmp/dataplane-e2e-XXXXXX)
free_port() { perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen=>1,LocalAddr=>"127.0.0.1:0")->sockport'; }
port=$(free_port)
central_port=$(free_port)
log=$var/up.log
cleanup() {
  [ -n "${pid:-}" ] && kill -TERM "$pid" 2>/dev/null || true
  [ -d "$var/pg/data" ] && "$(dirname "$0")/../../scripts/pg" stop "$var/pg" >/dev/null 2>&1 || true
  rm -rf "$var"
}
trap cleanup EXIT

PORT=$port "$dataplane" up --var "$var" --demo-rate 20 --backend "$backend" \
  --central-port "$central_port" >"$log" 2>&1 &
pid=$!

fail() { echo "FAIL: $*"; echo "--- up log:"; cat "$log"; exit 1; }

for _ in $(seq 1 120); do
  body=$(curl -sf "http://127.0.0.1:$port/v1/jobs?limit=5" || true)
  if [[ "$body" == *'"job_id"'* ]]; then break; fi
  kill -0 "$pid" 2>/dev/null || fail "dataplane up exited early"
  sleep 0.5
done
[[ "$body" == *'"job_id"'* ]] || fail "no demo jobs served: $body"
grep -q "dataplane is up" "$log" || fail "the URLs were not printed"
grep -q "http://127.0.0.1:$port" "$log" || fail "the Local API URL was not printed"
health=$(curl -sf "http://127.0.0.1:$port/v1/healthz")
[[ "$health" == *'"status":"ok"'* ]] || fail "healthz not ok: $health"
[[ "$health" == *"\"backend\":\"$backend\""* ]] || fail "healthz does not name backend $backend: $health"
grep -q '"msg":"database backend","backend":"'"$backend"'"' "$log" || fail "the backend was not logged"
grep -q "http://127.0.0.1:$central_port" "$log" || fail "the Central API URL was not printed"
central=$(curl -sf "http://127.0.0.1:$central_port/v1/jobs?limit=5")
[[ "$central" == *'"site_id":"fab1"'* && "$central" == *'"partial":false'* ]] ||
  fail "the Central API does not serve the site's jobs: $central"
sites=$(curl -sf "http://127.0.0.1:$central_port/v1/sites/health")
[[ "$sites" == *'"status":"ok"'* ]] || fail "the Central API does not see the site: $sites"
grep -q "archive     $var/archive" "$log" || fail "the archive was not printed"
metrics=$(curl -sf "http://127.0.0.1:$port/metrics")
[[ "$metrics" == *'dataplane_archiver_runs_total{service="archiver",result="ok"} 1'* ]] ||
  fail "the archiver's first run is not counted on /metrics: $(grep archiver <<<"$metrics")"
[[ "$metrics" == *'dataplane_archiver_backlog{service="archiver",table="event"} 0'* ]] ||
  fail "the archiver's backlog is not on /metrics: $(grep archiver <<<"$metrics")"

kill -TERM "$pid"
for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
kill -0 "$pid" 2>/dev/null && fail "dataplane up did not stop within 30 s of SIGTERM"
wait "$pid" && status=0 || status=$?
pid=
[ "$status" -eq 0 ] || fail "dataplane up exited with $status"
[ -f "$var/pg/data/postmaster.pid" ] && fail "PostgreSQL still running after up stopped"
echo "1 passed, 0 failed"
