#pragma once
// GET /metrics: the registry in the Prometheus text exposition format (version 0.0.4), for
// every service of the process (one registry, one scrape).
#include "http/types.h"
#include "metrics/registry.h"

namespace dataplane::http {

//! The handler; `registry` must outlive the server.
HttpHandler MetricsEndpoint(const metrics::MetricsRegistry& registry);

}  // namespace dataplane::http
