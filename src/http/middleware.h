#pragma once
// Middlewares: what every request goes through around its handler — tracing, metrics, the
// access log, auth — written once instead of inside each handler.
//
// A middleware gets the request, its context and `next` (the rest of the chain, ending in the
// handler) and returns the response; it may change the context before calling `next`, look at
// or change the response after it, or answer without calling it (auth refusing a request).
// The server runs them outermost first, in the order given. `next()` never throws: a
// core::Failure thrown further in (by the handler or an inner middleware) is already the mapped
// error response (http/status.h) when `next()` returns, and any other exception is a logged
// 500 — so an outer middleware (metrics, access log) sees the status the client gets.
// Middlewares run on the connection's strand and are shared by all connections: they must be
// safe to call concurrently.
#include <functional>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "http/request_context.h"
#include "http/types.h"

namespace dataplane::http {

using Next = std::function<boost::asio::awaitable<HttpResponse>()>;
using Middleware = std::function<boost::asio::awaitable<HttpResponse>(
    const HttpRequest& request, RequestContext& context, const Next& next)>;

}  // namespace dataplane::http
