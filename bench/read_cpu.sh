# Shared part of bench/read_ab and bench/partitions_ab (sourced, not run): one private PostgreSQL
# (native partitions) with 1 M jobs over the last two days (bench/load_jobs.sql), and the
# measurement of one Local API's CPU per uncached /v1/jobs?status=failed&limit=100 answer.
#   read_cpu_setup BINARY       starts the cluster in a new temporary directory $T (removed at
#                               exit), migrates it with BINARY, loads, VACUUMs; sets $T, $db
#   read_cpu_measure LABEL BINARY [VAR=VALUE ...]
#                               a fresh `BINARY local-api` (with the settings given), 2 s of
#                               warm-up and 10 s of distinct uncached lists at 8 connections
#                               (bench/distinct_query.lua); prints one line: the label, job
#                               partitions, answers/s, PostgreSQL's, the service's and both CPU
#                               per answer
# Needs the caller to have cd'ed to the repository root and set -euo pipefail.

read_cpu_svc=''

read_cpu_setup() {
  T=$(mktemp -d /tmp/dataplane-read-cpu-XXXXXX)
  chmod 777 "$T"
  trap 'kill $read_cpu_svc 2>/dev/null || true; scripts/pg stop $T/pg >/dev/null 2>&1 || true; rm -rf "$T"' EXIT
  TIMESCALEDB=off scripts/pg start "$T/pg" > "$T/start.log" 2>&1
  db=$(scripts/pg url "$T/pg")
  DATABASE_URL=$db "$1" migrate > "$T/m.log" 2>&1
  local t0=$(($(date +%s) - 172800))
  psql "$db" -Xq -v lo=1 -v hi=500000 -v n=1000000 -v t0=$t0 -f bench/load_jobs.sql &
  psql "$db" -Xq -v lo=500001 -v hi=1000000 -v n=1000000 -v t0=$t0 -f bench/load_jobs.sql &
  wait
  psql "$db" -Xq -c "VACUUM (ANALYZE) job, subjob, entity_anchor" -c CHECKPOINT
  read_cpu_port=$(perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1:0")->sockport')
}

# The sum of utime + stime (clock ticks) of the given pids.
read_cpu_ticks() {
  local s=0 p
  for p in "$@"; do [ -r "/proc/$p/stat" ] && s=$((s + $(awk '{print $14+$15}' "/proc/$p/stat"))); done
  echo $s
}

# This cluster's backends only (the children of its postmaster), whatever else runs on the machine.
read_cpu_pgpids() { pgrep -P "$(head -n 1 "$T/pg/data/postmaster.pid")" | tr '\n' ' '; }

read_cpu_measure() {
  local label=$1 bin=$2
  shift 2
  local q="/v1/jobs?status=failed&limit=100" url="http://127.0.0.1:$read_cpu_port"
  env "$@" PORT=$read_cpu_port BIND_ADDRESS=127.0.0.1 DATABASE_URL=$db SITE_ID=fab1 LOG_LEVEL=WARNING \
    CACHE_TTL_S=0 "$bin" local-api >> "$T/svc.log" 2>&1 &
  read_cpu_svc=$!
  sleep 1.5
  wrk -t2 -c8 -d2s -s bench/distinct_query.lua "$url$q" -- "$q" 2100-01-01T00:00:00 > /dev/null
  local pids p0 s0 p1 s1 n parts
  pids=$(read_cpu_pgpids)
  p0=$(read_cpu_ticks $pids); s0=$(read_cpu_ticks $read_cpu_svc)
  wrk -t2 -c8 -d10s -s bench/distinct_query.lua "$url$q" -- "$q" 2100-01-01T00:00:00 > "$T/wrk.txt"
  p1=$(read_cpu_ticks $pids); s1=$(read_cpu_ticks $read_cpu_svc)
  kill $read_cpu_svc; wait $read_cpu_svc 2>/dev/null || true
  n=$(awk '/requests in/ {print $1}' "$T/wrk.txt")
  parts=$(psql "$db" -XAtc "SELECT count(*) FROM pg_inherits WHERE inhparent = 'job'::regclass")
  awk -v n="$n" -v p=$((p1 - p0)) -v s=$((s1 - s0)) -v label="$label" -v parts="$parts" 'BEGIN {
    printf "%-10s %3d job partitions  %6.0f req/s  pg %.3f ms  srv %.3f ms  total %.3f ms per answer\n",
      label, parts, n / 10, p * 10 / n, s * 10 / n, (p + s) * 10 / n }'
}
