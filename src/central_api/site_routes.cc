#include "central_api/site_routes.h"

#include <boost/json/serialize.hpp>

#include "central_api/site_answer.h"
#include "core/version.h"
#include "http/metrics_endpoint.h"
#include "http/request_context.h"
#include "http/status.h"

namespace dataplane::central_api {
namespace asio = boost::asio;
namespace json = boost::json;
using http::HttpRequest;
using http::HttpResponse;
using http::RequestContext;

namespace {

std::string_view IdSource(const Site& site) {
  if (!site.entry().name.empty()) return "configured";
  return site.IdKnown() ? "health" : "pending";
}

json::object CircuitReport(const CircuitBreaker::Snapshot& circuit) {
  json::object report;
  report["state"] = ToString(circuit.state);
  report["consecutive_failures"] = circuit.consecutive_failures;
  const auto left = circuit.open_until - CircuitBreaker::Clock::now();
  report["retry_in_s"] =
      circuit.state == CircuitBreaker::State::kOpen
          ? json::value(std::max(0.0, std::chrono::duration<double>(left).count()))
          : json::value(nullptr);
  return report;
}

json::object HealthReport(const Site& site) {
  const SiteHealth health = site.Health();
  const CircuitBreaker::Snapshot circuit = site.breaker().Get();
  json::object report;
  report["site_id"] = site.Id();
  report["status"] =
      circuit.state == CircuitBreaker::State::kClosed ? health.status : "circuit_open";
  report["message"] = health.message.empty() ? json::value(nullptr) : json::value(health.message);
  report["latency_ms"] = health.checked_at == 0 ? json::value(nullptr) : health.latency_ms;
  report["version"] = health.version.empty() ? json::value(nullptr) : json::value(health.version);
  report["database"] = {
      {"reachable", health.database_reachable},
      {"backend", health.database_backend.empty() ? json::value(nullptr)
                                                  : json::value(health.database_backend)}};
  report["checked_at"] = TimeOrNull(health.checked_at);
  report["last_ok_at"] = TimeOrNull(health.last_ok_at);
  report["consecutive_failures"] = health.consecutive_failures;
  report["circuit"] = CircuitReport(circuit);
  return report;
}

int ReachableSites(const SiteRegistry& sites) {
  int reachable = 0;
  for (const auto& site : sites.sites()) {
    const std::string status = site->Health().status;
    if (status == "ok" || status == "degraded") ++reachable;
  }
  return reachable;
}

asio::awaitable<HttpResponse> Sites(CentralApiContext& ctx, const HttpRequest& request) {
  json::array sites;
  for (const auto& site : ctx.sites.sites()) {
    sites.push_back({{"site_id", site->Id()},
                     {"url", site->entry().url},
                     {"endpoint", site->entry().target.Endpoint()},
                     {"id_source", IdSource(*site)}});
  }
  json::object body{{"count", sites.size()}};
  body["sites"] = std::move(sites);
  co_return http::JsonResponse(request, http::status::ok, json::serialize(body));
}

asio::awaitable<HttpResponse> SitesHealth(CentralApiContext& ctx, const HttpRequest& request) {
  json::array sites;
  int ok = 0;
  for (const auto& site : ctx.sites.sites()) {
    json::object report = HealthReport(*site);
    if (report["status"] == "ok") ++ok;
    sites.push_back(std::move(report));
  }
  json::object body{{"count", sites.size()}, {"ok", ok}};
  body["sites"] = std::move(sites);
  co_return http::JsonResponse(request, http::status::ok, json::serialize(body));
}

asio::awaitable<HttpResponse> Healthz(CentralApiContext& ctx, const HttpRequest& request) {
  const int reachable = ReachableSites(ctx.sites);
  json::object body;
  body["status"] = reachable > 0 ? "ok" : "degraded";
  body["service"] = "central_api";
  body["version"] = core::kVersion;
  body["sites"] = {{"configured", ctx.sites.sites().size()}, {"reachable", reachable}};
  std::string text = json::serialize(body);
  co_return reachable > 0
      ? http::JsonResponse(request, http::status::ok, std::move(text))
      : http::KindResponse(request, core::ErrorKind::kUnavailable, std::move(text));
}

}  // namespace

void AddSiteRoutes(http::Router& router, CentralApiContext& ctx) {
  router.Add(http::verb::get, "/v1/sites",
             [&ctx](const HttpRequest& request, RequestContext&) { return Sites(ctx, request); });
  router.Add(
      http::verb::get, "/v1/sites/health",
      [&ctx](const HttpRequest& request, RequestContext&) { return SitesHealth(ctx, request); });
  router.Add(http::verb::get, "/v1/healthz",
             [&ctx](const HttpRequest& request, RequestContext&) { return Healthz(ctx, request); });
  router.Add(http::verb::get, "/metrics", http::MetricsEndpoint(ctx.metrics.registry()));
}

}  // namespace dataplane::central_api
