#pragma once
// The Central API's own routes (SPEC §4): GET /v1/sites, /v1/sites/health, /v1/healthz and
// /metrics. All answer from memory (the health poller's last findings), never waiting on a site.
//
// /v1/sites: {"sites":[{"site_id","url","endpoint","id_source"}],"count"} — id_source is
//   "configured" (SITE_URLS name), "health" (learned from the site) or "pending" (not yet
//   learned: the id is the endpoint).
// /v1/sites/health: per site "status" — ok, degraded (its database is down), unreachable,
//   circuit_open (calls are being skipped), unknown (not probed yet) — with message,
//   latency_ms, version, database {reachable, backend}, checked_at, last_ok_at,
//   consecutive_failures and circuit {state, consecutive_failures, retry_in_s}; plus counts.
// /v1/healthz: 200 {"status":"ok",…} while at least one site answers its health check, with the
//   counts of sites configured and reachable; 503 {"status":"degraded"} when none does.
#include "central_api/context.h"
#include "http/router.h"

namespace dataplane::central_api {

void AddSiteRoutes(http::Router& router, CentralApiContext& context);

}  // namespace dataplane::central_api
