#include "http/tracing_middleware.h"

namespace dataplane::http {

Middleware TracingMiddleware() {
  return [](const HttpRequest& request, RequestContext& context,
            const Next& next) -> boost::asio::awaitable<HttpResponse> {
    context.call.trace = core::TraceContext::FromTraceparent(request["traceparent"]);
    HttpResponse response = co_await next();
    response.set("traceresponse", context.call.trace.Traceparent());
    co_return response;
  };
}

}  // namespace dataplane::http
