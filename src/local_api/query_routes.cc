#include "local_api/query_routes.h"

#include "core/uuid.h"
#include "http/run_blocking.h"
#include "http/status.h"
#include "local_api/alerts_query.h"
#include "local_api/state_queries.h"
#include "local_api/stats_query.h"

namespace dataplane::local_api {
namespace asio = boost::asio;
using http::HttpRequest;
using http::HttpResponse;

namespace {

struct QueryMetrics {
  metrics::Family<metrics::Histogram>& latency;
};

template <typename Fn>
asio::awaitable<std::invoke_result_t<Fn&, pg::Connection&>> Query(LocalApiContext& ctx,
                                                                  QueryMetrics& metrics,
                                                                  const char* operation, Fn fn) {
  co_return co_await http::RunBlocking(ctx.blocking, [&ctx, &metrics, operation, fn]() mutable {
    const auto started = std::chrono::steady_clock::now();
    pg::Pool::Lease conn = ctx.pool.Acquire();
    auto result = fn(*conn);
    metrics.latency.WithLabels({operation})
        .Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return result;
  });
}

asio::awaitable<HttpResponse> ListHandler(LocalApiContext& ctx, QueryMetrics& metrics,
                                          ListKind kind, const HttpRequest& request) {
  auto filter = ParseListFilter(request.target(), kind);
  if (!filter) co_return http::ErrorResponse(request, filter.error());
  const std::string key(request.target());
  if (auto cached = ctx.cache.Get(key)) {
    co_return http::JsonResponse(request, http::status::ok, *cached);
  }
  const std::uint64_t generation = ctx.cache.Generation();
  const char* operation = kind == ListKind::kJobs ? "list_jobs" : "list_subjobs";
  std::string text = co_await Query(ctx, metrics, operation, [&](pg::Connection& conn) {
    return ListStates(conn, kind, *filter);
  });
  ctx.cache.Put(key, generation, text);
  co_return http::JsonResponse(request, http::status::ok, std::move(text));
}

asio::awaitable<HttpResponse> JobHandler(LocalApiContext& ctx, QueryMetrics& metrics,
                                         const HttpRequest& request, std::string id_text) {
  auto id = core::ParseUuid(id_text);
  if (!id) {
    co_return http::ErrorResponse(
        request,
        core::Error::Invalid("invalid_uuid", "job_id", "job_id: " + id_text + " is not a UUID"));
  }
  const std::string job_id = core::FormatUuid(*id);
  const std::string key = "job:" + job_id;
  if (auto cached = ctx.cache.Get(key)) {
    co_return http::JsonResponse(request, http::status::ok, *cached);
  }
  const std::uint64_t generation = ctx.cache.Generation();
  auto detail = co_await Query(ctx, metrics, "get_job",
                               [&](pg::Connection& conn) { return GetJobDetail(conn, job_id); });
  if (!detail) {
    co_return http::ErrorResponse(request, core::Error{core::ErrorKind::kNotFound, "job_not_found",
                                                       "no job " + job_id, "job_id"});
  }
  ctx.cache.Put(key, generation, *detail);
  co_return http::JsonResponse(request, http::status::ok, std::move(*detail));
}

asio::awaitable<HttpResponse> StatsHandler(LocalApiContext& ctx, QueryMetrics& metrics,
                                           const HttpRequest& request) {
  auto stats = ParseStatsRequest(request.target(), core::NowMicros());
  if (!stats) co_return http::ErrorResponse(request, stats.error());
  const std::string key(request.target());
  if (auto cached = ctx.cache.Get(key)) {
    co_return http::JsonResponse(request, http::status::ok, *cached);
  }
  const std::uint64_t generation = ctx.cache.Generation();
  std::string text = co_await Query(
      ctx, metrics, "job_stats", [&](pg::Connection& conn) { return QueryJobStats(conn, *stats); });
  ctx.cache.Put(key, generation, text);
  co_return http::JsonResponse(request, http::status::ok, std::move(text));
}

// Not cached: alerts are written by the maintenance scheduler, not by ingest, so the cache's
// invalidation would not see them.
asio::awaitable<HttpResponse> AlertsHandler(LocalApiContext& ctx, QueryMetrics& metrics,
                                            const HttpRequest& request) {
  auto filter = ParseAlertFilter(request.target(), core::NowMicros());
  if (!filter) co_return http::ErrorResponse(request, filter.error());
  std::string text = co_await Query(
      ctx, metrics, "list_alerts", [&](pg::Connection& conn) { return ListAlerts(conn, *filter); });
  co_return http::JsonResponse(request, http::status::ok, std::move(text));
}

}  // namespace

void AddQueryRoutes(http::Router& router, LocalApiContext& ctx) {
  auto metrics = std::make_shared<QueryMetrics>(QueryMetrics{ctx.metrics.AddHistogram(
      "dataplane_db_query_duration_seconds",
      "Database time of read queries (connection wait included), by operation.", {"operation"},
      metrics::DefaultLatencyBuckets())});
  router.Add(http::verb::get, "/v1/jobs",
             [&ctx, metrics](const HttpRequest& request, const http::PathParams&) {
               return ListHandler(ctx, *metrics, ListKind::kJobs, request);
             });
  router.Add(http::verb::get, "/v1/subjobs",
             [&ctx, metrics](const HttpRequest& request, const http::PathParams&) {
               return ListHandler(ctx, *metrics, ListKind::kSubjobs, request);
             });
  router.Add(http::verb::get, "/v1/jobs/{job_id}",
             [&ctx, metrics](const HttpRequest& request, const http::PathParams& params) {
               return JobHandler(ctx, *metrics, request, params[0]);
             });
  router.Add(http::verb::get, "/v1/stats/jobs",
             [&ctx, metrics](const HttpRequest& request, const http::PathParams&) {
               return StatsHandler(ctx, *metrics, request);
             });
  router.Add(http::verb::get, "/v1/alerts",
             [&ctx, metrics](const HttpRequest& request, const http::PathParams&) {
               return AlertsHandler(ctx, *metrics, request);
             });
}

}  // namespace dataplane::local_api
