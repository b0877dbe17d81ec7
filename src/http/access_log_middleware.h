#pragma once
// The access log middleware: one structured line per request at level debug (LOG_LEVEL=DEBUG)
// — method, path (without the query string, which may hold filter values nobody asked to
// keep), route, status, duration, response bytes, trace id. A service installs it only when
// it starts at LOG_LEVEL=DEBUG (inside, it still checks the level: one atomic load). Failures
// are logged where they happen, at warning or error.
#include "http/middleware.h"

namespace dataplane::http {

Middleware AccessLogMiddleware();

}  // namespace dataplane::http
