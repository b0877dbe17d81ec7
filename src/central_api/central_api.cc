#include "central_api/central_api.h"

#include <future>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "central_api/context.h"
#include "central_api/health_poller.h"
#include "central_api/query_routes.h"
#include "central_api/site_routes.h"
#include "core/log.h"
#include "http/server.h"
#include "http/service_middlewares.h"

namespace dataplane::central_api {
namespace asio = boost::asio;

struct CentralApi::Parts {
  Parts(const CentralApiConfig& config, const metrics::Scope& metrics_scope)
      : metrics(metrics_scope),
        work(io.get_executor()),
        client(io.get_executor(), ClientOptionsFor(config)),
        sites(config.sites, config.circuit),
        fan_out(client, FanOutOptions{config.site_timeout, config.site_token}, metrics),
        poller(sites, fan_out, config.poll_interval, metrics),
        context{config, metrics, sites, fan_out,
                metrics.AddCounter("dataplane_partial_answers_total",
                                   "Cross-site answers that lacked a site (sent partial, or "
                                   "refused 502 under partial_response=false), by route.",
                                   {"route"})} {}

  static http::HttpClientOptions ClientOptionsFor(const CentralApiConfig& c) {
    http::HttpClientOptions o;
    o.timeout = c.site_timeout;
    o.max_body_bytes = c.max_answer_bytes;
    o.max_idle_per_upstream = 64;  // a burst of requests leaves its connections for the next
    o.user_agent = "dataplane-central-api";
    return o;
  }

  metrics::Scope metrics;
  asio::io_context io;  // the site client's and the poller's; outlives both
  asio::executor_work_guard<asio::io_context::executor_type> work;
  http::AsyncHttpClient client;
  SiteRegistry sites;
  FanOut fan_out;
  HealthPoller poller;
  CentralApiContext context;
  std::vector<std::thread> io_threads;  // HTTP_THREADS of them, like the server's
  std::unique_ptr<http::HttpServer> server;
};

metrics::Scope ServiceMetrics(metrics::MetricsRegistry& registry) {
  return metrics::Scope(registry).With("service", "central_api");
}

CentralApi::CentralApi(CentralApiConfig config, metrics::Scope metrics)
    : config_(std::move(config)), metrics_(std::move(metrics)) {}

CentralApi::~CentralApi() { Stop(); }

core::Status CentralApi::Start() {
  parts_ = std::make_unique<Parts>(config_, metrics_);
  for (int i = 0; i < config_.http_threads; ++i) {
    parts_->io_threads.emplace_back([this] { parts_->io.run(); });
  }
  asio::co_spawn(parts_->io, parts_->poller.PollOnce(), asio::use_future).get();
  parts_->poller.Start(parts_->io.get_executor());

  http::Router router;
  AddQueryRoutes(router, parts_->context);
  AddSiteRoutes(router, parts_->context);
  http::HttpServerOptions http;
  http.address = config_.bind_address;
  http.port = config_.port;
  http.threads = config_.http_threads;
  http.request_timeout = config_.request_timeout;
  auto middlewares = http::ServiceMiddlewares(parts_->metrics, router);
  parts_->server =
      std::make_unique<http::HttpServer>(http, std::move(router), std::move(middlewares));
  if (auto s = parts_->server->Start(); !s) {
    Stop();
    return s;
  }
  std::string ids;
  for (const auto& site : parts_->sites.sites()) ids += (ids.empty() ? "" : ",") + site->Id();
  core::LogInfo("central api listening", {{"port", parts_->server->port()}, {"sites", ids}});
  return core::OkStatus();
}

void CentralApi::Stop() {
  if (!parts_) return;
  if (parts_->server) parts_->server->Stop();  // answers in-flight requests first
  parts_->poller.Stop();
  parts_->client.CloseIdle();
  parts_->work.reset();
  for (std::thread& thread : parts_->io_threads) thread.join();
  parts_.reset();
}

int CentralApi::port() const { return parts_ && parts_->server ? parts_->server->port() : 0; }

}  // namespace dataplane::central_api
