#!/usr/bin/env bash
# `dataplane local-api` with bad settings exits 2 with one message naming every bad value;
# `--help` works on every subcommand.
# Usage: bad_config_is_refused.sh <path-to-dataplane>
set -uo pipefail
dataplane=$1
fail() { echo "FAIL: $*"; exit 1; }

out=$(env -i PATH="$PATH" PORT=abc DB_POOL_MAX_SIZE=0 LOG_LEVEL=loud "$dataplane" local-api 2>&1)
status=$?
[ "$status" -eq 2 ] || fail "exit status $status, expected 2: $out"
for needle in "DATABASE_URL is required" "PORT must be an integer" "DB_POOL_MAX_SIZE must be" "LOG_LEVEL must be"; do
  [[ "$out" == *"$needle"* ]] || fail "message lacks '$needle': $out"
done
for cmd in up local-api migrate loadgen; do
  "$dataplane" "$cmd" --help >/dev/null 2>&1 || fail "$cmd --help failed"
done
"$dataplane" --help | grep -q "local-api" || fail "top-level help lacks local-api"
echo "2 passed, 0 failed"
