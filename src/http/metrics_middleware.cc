#include "http/metrics_middleware.h"

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace dataplane::http {
namespace {

constexpr int kMaxStatus = 600;

// One (route, method): its latency child and its counter children by status, each looked up on
// first use (so a route exposes nothing until it has answered, as before). Two threads looking
// the same child up at once get the same one from the family.
class RouteSeries {
 public:
  RouteSeries(const metrics::ScopedFamily<metrics::Counter>& requests,
              const metrics::ScopedFamily<metrics::Histogram>& latency, std::string route,
              std::string method)
      : requests_(requests),
        latency_(latency),
        route_(std::move(route)),
        method_(std::move(method)) {}

  void Record(int status, double seconds) {
    metrics::Histogram* histogram = latency_child_.load(std::memory_order_acquire);
    if (histogram == nullptr) {
      histogram = &latency_.WithLabels({route_, method_});
      latency_child_.store(histogram, std::memory_order_release);
    }
    histogram->Observe(seconds);
    if (status < 0 || status >= kMaxStatus) status = 0;
    metrics::Counter* counter = by_status_[status].load(std::memory_order_acquire);
    if (counter == nullptr) {
      counter = &requests_.WithLabels({route_, method_, std::to_string(status)});
      by_status_[status].store(counter, std::memory_order_release);
    }
    counter->Inc();
  }

 private:
  const metrics::ScopedFamily<metrics::Counter> requests_;
  const metrics::ScopedFamily<metrics::Histogram> latency_;
  const std::string route_;
  const std::string method_;
  std::atomic<metrics::Histogram*> latency_child_{nullptr};
  std::array<std::atomic<metrics::Counter*>, kMaxStatus> by_status_{};
};

class RequestMetrics {
 public:
  RequestMetrics(const metrics::Scope& metrics, const Router& router)
      : requests_(metrics.AddCounter("dataplane_http_requests_total",
                                     "HTTP requests answered, by route, method and status code.",
                                     {"route", "method", "status"})),
        latency_(metrics.AddHistogram(
            "dataplane_http_request_duration_seconds",
            "Time from a request's last byte read to its response ready to write.",
            {"route", "method"}, metrics::DefaultLatencyBuckets())) {
    for (const Router::Route& route : router.routes()) {
      routes_.push_back(std::make_unique<RouteSeries>(requests_, latency_, route.pattern,
                                                      std::string(http::to_string(route.method))));
    }
    for (std::size_t v = 0; v < unmatched_.size(); ++v) {
      const auto verb = static_cast<http::verb>(v);
      const std::string method =
          verb == http::verb::unknown ? std::string("other") : std::string(to_string(verb));
      unmatched_[v] = std::make_unique<RouteSeries>(requests_, latency_, "unmatched", method);
    }
  }

  void Record(const RequestContext& context, http::verb method, int status) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - context.received).count();
    if (context.route_index < routes_.size()) {
      routes_[context.route_index]->Record(status, seconds);
    } else {
      const auto v = static_cast<std::size_t>(method);
      unmatched_[v < unmatched_.size() ? v : 0]->Record(status, seconds);
    }
  }

 private:
  const metrics::ScopedFamily<metrics::Counter> requests_;
  const metrics::ScopedFamily<metrics::Histogram> latency_;
  std::vector<std::unique_ptr<RouteSeries>> routes_;  // by Router::Route::index
  // By verb (Beast's enum is dense, `unknown` = 0), so that unmatched requests take no lock
  // either once their children exist.
  std::array<std::unique_ptr<RouteSeries>, static_cast<std::size_t>(http::verb::unlink) + 1>
      unmatched_;
};

}  // namespace

Middleware MetricsMiddleware(const metrics::Scope& metrics, const Router& router) {
  auto recorder = std::make_shared<RequestMetrics>(metrics, router);
  return [recorder](const HttpRequest& request, RequestContext& context,
                    const Next& next) -> boost::asio::awaitable<HttpResponse> {
    HttpResponse response = co_await next();
    recorder->Record(context, request.method(), response.result_int());
    co_return response;
  };
}

}  // namespace dataplane::http
