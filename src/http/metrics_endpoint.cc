#include "http/metrics_endpoint.h"

namespace dataplane::http {

HttpHandler MetricsEndpoint(const metrics::MetricsRegistry& registry) {
  return [&registry](const HttpRequest& request,
                     RequestContext&) -> boost::asio::awaitable<HttpResponse> {
    HttpResponse response{http::status::ok, request.version()};
    response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    response.keep_alive(request.keep_alive());
    response.body() = registry.Serialize();
    response.prepare_payload();
    co_return response;
  };
}

}  // namespace dataplane::http
