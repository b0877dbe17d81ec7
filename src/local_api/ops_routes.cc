#include "local_api/ops_routes.h"

#include <boost/json/serialize.hpp>

#include "core/version.h"
#include "http/metrics_endpoint.h"
#include "http/status.h"

namespace dataplane::local_api {
namespace asio = boost::asio;
namespace json = boost::json;
using http::HttpRequest;
using http::HttpResponse;

namespace {

asio::awaitable<HttpResponse> Healthz(LocalApiContext& ctx, const HttpRequest& request) {
  const DatabaseHealth db = ctx.health.Get();
  const pg::Pool::Stats pool = ctx.pool.GetStats();
  json::object body;
  body["status"] = db.reachable ? "ok" : "degraded";
  body["version"] = core::kVersion;
  body["site_id"] = ctx.config.site_id;
  json::object database;
  database["reachable"] = db.reachable;
  database["latency_ms"] = db.latency_ms;
  database["checked_at"] =
      db.checked_at ? json::value(core::FormatRfc3339(db.checked_at)) : nullptr;
  database["error"] = db.error.empty() ? json::value(nullptr) : json::value(db.error);
  database["backend"] = ctx.backend.name;
  database["timescaledb_version"] = ctx.backend.timescaledb_version.empty()
                                        ? json::value(nullptr)
                                        : json::value(ctx.backend.timescaledb_version);
  body["database"] = std::move(database);
  body["pool"] = {{"idle", pool.idle}, {"in_use", pool.in_use}, {"max", pool.max}};
  body["ingest_queue_events"] = ctx.writer.QueuedEvents();
  co_return db.reachable
      ? http::JsonResponse(request, http::status::ok, json::serialize(body))
      : http::KindResponse(request, core::ErrorKind::kUnavailable, json::serialize(body));
}

}  // namespace

void AddOpsRoutes(http::Router& router, LocalApiContext& ctx) {
  router.Add(
      http::verb::get, "/v1/healthz",
      [&ctx](const HttpRequest& request, http::RequestContext&) { return Healthz(ctx, request); });
  router.Add(http::verb::get, "/metrics", http::MetricsEndpoint(ctx.metrics.registry()));
}

}  // namespace dataplane::local_api
