#pragma once
// What the Central API's handlers share. Owned by CentralApi; handlers hold references, so it
// outlives the HTTP server.
#include "central_api/config.h"
#include "central_api/fan_out.h"
#include "central_api/site_registry.h"
#include "metrics/scope.h"

namespace dataplane::central_api {

struct CentralApiContext {
  const CentralApiConfig& config;
  metrics::Scope metrics;  // service="central_api" (or what the command chose)
  SiteRegistry& sites;
  FanOut& fan_out;
  // dataplane_partial_answers_total{route}: answers sent with "partial": true (or refused 502).
  metrics::ScopedFamily<metrics::Counter> partial_answers;
  // dataplane_fan_out_overhead_seconds{route}: what the Central API added to the slowest of a
  // request's site calls (ObserveOverhead, query_routes.cc).
  metrics::ScopedFamily<metrics::Histogram> fan_out_overhead;
};

}  // namespace dataplane::central_api
