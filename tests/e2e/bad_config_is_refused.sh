#!/usr/bin/env bash
# `dataplane local-api`, `central-api` and `archiver` with bad settings exit 2 with one message naming every
# bad value (a bad SITE_URLS entry by its position and text); `--help` works on every subcommand.
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
# central-api: each bad SITE_URLS is refused, naming the entry.
central_refuses() {  # <SITE_URLS> <needle>
  local out status
  out=$(env -i PATH="$PATH" SITE_URLS="$1" SITE_TIMEOUT_S=0 "$dataplane" central-api 2>&1)
  status=$?
  [ "$status" -eq 2 ] || fail "central-api SITE_URLS='$1': exit status $status, expected 2: $out"
  [[ "$out" == *"$2"* ]] || fail "central-api SITE_URLS='$1': message lacks '$2': $out"
  [[ "$out" == *"SITE_TIMEOUT_S must be"* ]] || fail "central-api: SITE_TIMEOUT_S=0 not named: $out"
}
central_refuses "" "SITE_URLS is required"
central_refuses "http://a:1,,http://b:2" "SITE_URLS entry 2 (''): empty entry"
central_refuses "http://a:1,gopher://b:2" "SITE_URLS entry 2 ('gopher://b:2')"
central_refuses "fab1=http://a:1,fab1=http://b:2" "the site name 'fab1' is used twice"
central_refuses "http://a:1,fab2=http://a:1" "the URL http://a:1 is listed twice"
# archiver: every bad value named at once; S3 settings checked together.
out=$(env -i PATH="$PATH" ARCHIVE_CODEC=lz4 ARCHIVE_AFTER_HOURS=0 S3_ENDPOINT=http://127.0.0.1:9 \
  "$dataplane" archiver --once 2>&1)
status=$?
[ "$status" -eq 2 ] || fail "archiver: exit status $status, expected 2: $out"
for needle in "DATABASE_URL must be set" "ARCHIVE_CODEC must be zstd, snappy or none, got 'lz4'" \
  "ARCHIVE_AFTER_HOURS must be" "S3_BUCKET must be set when S3_ENDPOINT is" \
  "S3_SECRET_KEY must be set when S3_ENDPOINT is"; do
  [[ "$out" == *"$needle"* ]] || fail "archiver: message lacks '$needle': $out"
done
for cmd in up local-api central-api migrate loadgen archiver; do
  "$dataplane" "$cmd" --help >/dev/null 2>&1 || fail "$cmd --help failed"
done
"$dataplane" --help | grep -q "local-api" || fail "top-level help lacks local-api"
"$dataplane" --help | grep -q "central-api" || fail "top-level help lacks central-api"
echo "4 passed, 0 failed"
