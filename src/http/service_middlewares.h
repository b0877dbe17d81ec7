#pragma once
// The middleware chain every dataplane service puts in front of its routes, outermost first:
// tracing (the W3C trace of each request), metrics (per route, through the service's scope)
// and — only at LOG_LEVEL=DEBUG, read once here — the access log, which below debug would only
// add a layer to every request — then, innermost, gzip for the clients that ask for it
// (http/compression_middleware.h). Auth joins it with issue 14.
#include <vector>

#include "http/middleware.h"
#include "http/router.h"
#include "metrics/scope.h"

namespace dataplane::http {

//! `router` must already hold every route (see MetricsMiddleware).
std::vector<Middleware> ServiceMiddlewares(const metrics::Scope& metrics, const Router& router);

}  // namespace dataplane::http
