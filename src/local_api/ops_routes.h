#pragma once
// GET /v1/healthz (200 ok / 503 degraded, from the background probe, instant) and
// GET /metrics (Prometheus text exposition 0.0.4).
#include "http/router.h"
#include "local_api/context.h"

namespace dataplane::local_api {

void AddOpsRoutes(http::Router& router, LocalApiContext& context);

}  // namespace dataplane::local_api
