#!/usr/bin/env bash
# Database maintenance, for cron or by hand: a thin wrapper around `dataplane db maintain`
# (partitions ahead, job statistics refresh, aggregate and alert retention, alerts, ANALYZE).
# The Local API already runs these steps on its own schedule; this is for databases without one
# running, or after a bulk load. Uses DATABASE_URL (or --database-url URL); --json for a summary.
# The binary: $DATAPLANE_BIN, else `dataplane` on PATH, else this checkout's Release build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${DATAPLANE_BIN:-$(command -v dataplane || echo "$here/../../build/release/src/dataplane")}
[ -x "$bin" ] || { echo "maintenance.sh: dataplane binary not found (build it: make build-release, or set DATAPLANE_BIN)" >&2; exit 1; }
exec "$bin" db maintain "$@"
