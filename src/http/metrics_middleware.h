#pragma once
// The metrics middleware: counts every answer in dataplane_http_requests_total{route,method,
// status} and times it in dataplane_http_request_duration_seconds{route,method} (from the
// request's last byte read to its response ready to write), through a metrics::Scope whose
// labels tell two servers of one process apart (e.g. service="local_api").
//
// The children of every route of the router are looked up once, at construction (the latency
// histogram) or on the first answer with a given status (a lock-free table per route), so the
// hot path takes no lock. Requests that match no route count under route="unmatched", with
// the method of a known verb or "other" — a client cannot grow the label set.
#include "http/middleware.h"
#include "http/router.h"
#include "metrics/scope.h"

namespace dataplane::http {

//! `router` must hold every route the server will serve (later additions count as unmatched).
Middleware MetricsMiddleware(const metrics::Scope& metrics, const Router& router);

}  // namespace dataplane::http
