#pragma once
// The tracing middleware: puts the request into its trace (core/trace_context.h) — continuing
// the caller's from a valid `traceparent` header, else a new one — and answers with a
// `traceresponse` header (W3C Trace Context Level 2) naming the trace and this request's span,
// so that a client can find the request in the logs. Spans are exported by issue 13's OTLP
// exporter; until then the trace id is in the access log.
#include "http/middleware.h"

namespace dataplane::http {

Middleware TracingMiddleware();

}  // namespace dataplane::http
