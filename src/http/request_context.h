#pragma once
// What the server knows about a request beyond its bytes, handed to every middleware and to the
// handler: the matched route, the path parameters, when it was read, and the call context
// (deadline, principal, trace; core/call_context.h) that the handler passes on to the threads
// that work for it. Owned by the connection's coroutine for the request's lifetime; middlewares
// fill it in on the way in (the tracing middleware sets `call.trace`, auth sets
// `call.principal`).
#include <chrono>
#include <cstddef>
#include <limits>
#include <string_view>

#include "core/call_context.h"
#include "http/types.h"

namespace dataplane::http {

struct RequestContext {
  static constexpr std::size_t kNoRoute = std::numeric_limits<std::size_t>::max();

  std::string_view route = "unmatched";  // the route's pattern (owned by the router)
  std::size_t route_index = kNoRoute;    // Router::Route::index, kNoRoute when unmatched
  PathParams params;
  std::chrono::steady_clock::time_point received;  // the request's last byte read
  core::CallContext call;
};

}  // namespace dataplane::http
