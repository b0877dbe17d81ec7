#include "http/access_log_middleware.h"

#include <chrono>
#include <string>

#include "core/log.h"

namespace dataplane::http {

Middleware AccessLogMiddleware() {
  return [](const HttpRequest& request, RequestContext& context,
            const Next& next) -> boost::asio::awaitable<HttpResponse> {
    HttpResponse response = co_await next();
    if (core::LogEnabled(core::LogLevel::kDebug)) {
      const std::string_view target = request.target();
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                  context.received)
                            .count();
      core::LogDebug("request", {{"method", std::string(request.method_string())},
                                 {"path", std::string(target.substr(0, target.find('?')))},
                                 {"route", std::string(context.route)},
                                 {"status", response.result_int()},
                                 {"duration_ms", ms},
                                 {"bytes", response.body().size()},
                                 {"trace_id", context.call.trace.trace_id}});
    }
    co_return response;
  };
}

}  // namespace dataplane::http
