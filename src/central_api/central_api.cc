#include "central_api/central_api.h"

#include <future>

#include "central_api/context.h"
#include "central_api/health_poller.h"
#include "central_api/query_routes.h"
#include "central_api/site_routes.h"
#include "core/log.h"
#include "http/server.h"
#include "http/service_middlewares.h"

namespace dataplane::central_api {
namespace asio = boost::asio;

// Members in the order they must be built; destroyed in reverse, so everything that holds a
// socket or a timer on the server's I/O threads goes before the server itself.
struct CentralApi::Parts {
  Parts(const CentralApiConfig& config, const metrics::Scope& metrics_scope,
        std::unique_ptr<http::HttpServer> http_server)
      : server(std::move(http_server)),
        metrics(metrics_scope),
        clients(server->executors(), ClientOptionsFor(config)),
        sites(config.sites, config.circuit),
        fan_out(clients, FanOutOptions{config.site_timeout, config.site_token}, metrics),
        poller(sites, fan_out, config.poll_interval, metrics),
        context{config,
                metrics,
                sites,
                fan_out,
                metrics.AddCounter("dataplane_partial_answers_total",
                                   "Cross-site answers that lacked a site (sent partial, or "
                                   "refused 502 under partial_response=false), by route.",
                                   {"route"}),
                metrics.AddHistogram(
                    "dataplane_fan_out_overhead_seconds",
                    "Time a cross-site answer took beyond the slowest of its site calls: from the "
                    "request read to its answer built, less that call's latency, by route.",
                    {"route"}, OverheadBuckets())} {}

  static std::vector<double> OverheadBuckets() {
    return {0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003,
            0.005,  0.01,    0.025,  0.05,    0.1,   0.25,   1};
  }

  static http::HttpClientOptions ClientOptionsFor(const CentralApiConfig& c) {
    http::HttpClientOptions o;
    o.timeout = c.site_timeout;
    o.max_body_bytes = c.max_answer_bytes;
    o.max_idle_per_upstream = 64;  // a burst of requests leaves its connections for the next
    o.user_agent = "dataplane-central-api";
    return o;
  }

  // The server's I/O threads also run the site clients and the poller: each thread has its own
  // I/O context and client, so a request and its calls to the sites stay on one thread.
  std::unique_ptr<http::HttpServer> server;
  metrics::Scope metrics;
  SiteClients clients;
  SiteRegistry sites;
  FanOut fan_out;
  HealthPoller poller;
  CentralApiContext context;
};

metrics::Scope ServiceMetrics(metrics::MetricsRegistry& registry) {
  return metrics::Scope(registry).With("service", "central_api");
}

CentralApi::CentralApi(CentralApiConfig config, metrics::Scope metrics)
    : config_(std::move(config)), metrics_(std::move(metrics)) {}

CentralApi::~CentralApi() { Stop(); }

core::Status CentralApi::Start() {
  http::HttpServerOptions http;
  http.address = config_.bind_address;
  http.port = config_.port;
  http.threads = config_.http_threads;
  http.context_per_thread = true;  // the handlers never block: they await the sites
  http.request_timeout = config_.request_timeout;
  parts_ = std::make_unique<Parts>(config_, metrics_, std::make_unique<http::HttpServer>(http));
  http::Router router;
  AddQueryRoutes(router, parts_->context);
  AddSiteRoutes(router, parts_->context);
  auto middlewares = http::ServiceMiddlewares(parts_->metrics, router);
  parts_->server->SetRoutes(std::move(router), std::move(middlewares));

  // The first probe of every site (bounded by the site timeout) runs before the first
  // connection is accepted, so that health answers and learned site ids are there from the
  // first request; Start() returns once it is done.
  std::promise<void> probed;
  std::future<void> probe_done = probed.get_future();
  Parts& parts = *parts_;
  auto started = parts.server->Start([&parts, &probed]() -> asio::awaitable<void> {
    co_await parts.poller.PollOnce();
    parts.poller.Start(parts.server->executor());
    probed.set_value();
  });
  if (!started) {
    Stop();
    return started;
  }
  probe_done.wait();
  std::string ids;
  for (const auto& site : parts_->sites.sites()) ids += (ids.empty() ? "" : ",") + site->Id();
  core::LogInfo("central api listening", {{"port", parts_->server->port()}, {"sites", ids}});
  return core::OkStatus();
}

void CentralApi::Stop() {
  if (!parts_) return;
  parts_->poller.Stop();        // while the I/O threads still run its loop
  parts_->server->Stop();       // answers in-flight requests first, then stops the threads
  parts_->clients.CloseIdle();  // the site connections, while their contexts exist
  parts_.reset();
}

int CentralApi::port() const { return parts_ && parts_->server ? parts_->server->port() : 0; }

}  // namespace dataplane::central_api
