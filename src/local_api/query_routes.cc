#include "local_api/query_routes.h"

#include <chrono>
#include <memory>
#include <optional>

#include "api/alert_params.h"
#include "api/list_filter.h"
#include "api/stats_params.h"
#include "core/uuid.h"
#include "http/compression_middleware.h"
#include "http/gzip.h"
#include "http/request_context.h"
#include "http/run_blocking.h"
#include "http/status.h"
#include "local_api/alerts_query.h"
#include "local_api/state_queries.h"
#include "local_api/stats_query.h"

namespace dataplane::local_api {
namespace asio = boost::asio;
using api::ListKind;
using http::HttpRequest;
using http::HttpResponse;
using http::RequestContext;

namespace {

// One read operation: its name and its child of dataplane_db_query_duration_seconds, looked
// up once when the routes are added.
struct Operation {
  Operation(const metrics::Scope& metrics, const char* operation_name)
      : name(operation_name),
        latency(metrics
                    .AddHistogram("dataplane_db_query_duration_seconds",
                                  "Database time of read queries (connection wait included), by "
                                  "operation.",
                                  {"operation"}, metrics::DefaultLatencyBuckets())
                    .WithLabels({operation_name})) {}
  const char* name;
  metrics::Histogram& latency;
};

// Runs fn(connection) on the blocking pool with a pooled connection, waiting for one no longer
// than the request's deadline.
template <typename Fn>
asio::awaitable<std::invoke_result_t<Fn&, pg::Connection&>> Query(LocalApiContext& ctx,
                                                                  const Operation& operation,
                                                                  const core::CallContext& call,
                                                                  Fn fn) {
  co_return co_await http::RunBlocking(ctx.blocking, [&ctx, &operation, &call, fn]() mutable {
    const auto started = std::chrono::steady_clock::now();
    pg::Pool::Lease conn = ctx.pool.Acquire(call.deadline);
    auto result = fn(*conn);
    operation.latency.Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return result;
  });
}

// A cached answer, in its gzip form (compressed once per cache entry) for a client that takes
// gzip; else as it is, for the compression middleware to judge.
HttpResponse CachedResponse(LocalApiContext& ctx, const HttpRequest& request,
                            const std::string& key,
                            const std::shared_ptr<const std::string>& body) {
  if (body->size() < http::kDefaultCompressMinBytes || !http::WantsGzip(request)) {
    return http::JsonResponse(request, http::status::ok, *body);
  }
  auto gzip = ctx.cache.CompressedOf(key, body, [](std::string_view b) { return http::Gzip(b); });
  HttpResponse response = http::JsonResponse(request, http::status::ok, std::string());
  http::SetGzipBody(response, *gzip);
  return response;
}

// The answer for `what` from the query cache, or from produce() (an awaitable of a
// Result<std::string>: a JSON body, or the error to answer), stored for the next caller. A miss
// that another request is already computing at the same cache generation waits for its answer
// instead of running the same query again (query_flights.h). The key is `what` and everything
// else that makes two callers' answers differ: the principal's visible data
// (core::Principal::CachePartition).
template <typename Produce>
asio::awaitable<HttpResponse> CachedAnswer(LocalApiContext& ctx, const HttpRequest& request,
                                           const RequestContext& context, std::string_view what,
                                           Produce produce) {
  std::string key = context.call.principal.CachePartition();
  key.push_back('\n');
  key.append(what);
  if (auto cached = ctx.cache.Get(key)) co_return CachedResponse(ctx, request, key, cached);
  const std::uint64_t generation = ctx.cache.Generation();
  QueryFlights::Ticket ticket = ctx.flights.Join(key, generation);
  if (!ticket.leader) {
    auto shared = co_await QueryFlights::Wait(ticket.flight, context.call.deadline);
    if (!shared) {
      co_return http::ErrorResponse(
          request, core::Error::Unavailable("the request's deadline passed while the same query "
                                            "ran for another request; retry"));
    }
    if (!*shared) co_return http::ErrorResponse(request, shared->error());
    co_return http::JsonResponse(request, http::status::ok, std::move(**shared));
  }
  QueryFlights::Leader leader(ctx.flights, key, ticket);
  core::Result<std::string> body = co_await produce();
  leader.Finish(body);
  if (!body) co_return http::ErrorResponse(request, body.error());
  ctx.cache.Put(key, generation, *body);
  co_return http::JsonResponse(request, http::status::ok, std::move(*body));
}

struct QueryOperations {
  explicit QueryOperations(const metrics::Scope& metrics)
      : list_jobs(metrics, "list_jobs"),
        list_subjobs(metrics, "list_subjobs"),
        get_job(metrics, "get_job"),
        job_stats(metrics, "job_stats"),
        list_alerts(metrics, "list_alerts") {}
  Operation list_jobs, list_subjobs, get_job, job_stats, list_alerts;
};

asio::awaitable<HttpResponse> ListHandler(LocalApiContext& ctx, const Operation& operation,
                                          ListKind kind, const HttpRequest& request,
                                          const RequestContext& context) {
  auto filter = api::ParseListFilter(request.target(), kind);
  if (!filter) co_return http::ErrorResponse(request, filter.error());
  co_return co_await CachedAnswer(
      ctx, request, context, request.target(), [&]() -> asio::awaitable<core::Result<std::string>> {
        co_return co_await Query(ctx, operation, context.call, [&](pg::Connection& conn) {
          return ListStates(conn, kind, *filter);
        });
      });
}

asio::awaitable<HttpResponse> JobHandler(LocalApiContext& ctx, const Operation& operation,
                                         const HttpRequest& request,
                                         const RequestContext& context) {
  const std::string& id_text = context.params[0];
  auto id = core::ParseUuid(id_text);
  if (!id) {
    co_return http::ErrorResponse(
        request,
        core::Error::Invalid("invalid_uuid", "job_id", "job_id: " + id_text + " is not a UUID"));
  }
  const std::string job_id = core::FormatUuid(*id);
  co_return co_await CachedAnswer(
      ctx, request, context, "job:" + job_id, [&]() -> asio::awaitable<core::Result<std::string>> {
        std::optional<std::string> detail =
            co_await Query(ctx, operation, context.call,
                           [&](pg::Connection& conn) { return GetJobDetail(conn, job_id); });
        if (!detail) {
          co_return core::Error{core::ErrorKind::kNotFound, "job_not_found", "no job " + job_id,
                                "job_id"};
        }
        co_return std::move(*detail);
      });
}

asio::awaitable<HttpResponse> StatsHandler(LocalApiContext& ctx, const Operation& operation,
                                           const HttpRequest& request,
                                           const RequestContext& context) {
  auto stats = api::ParseStatsRequest(request.target(), core::NowMicros());
  if (!stats) co_return http::ErrorResponse(request, stats.error());
  co_return co_await CachedAnswer(
      ctx, request, context, request.target(), [&]() -> asio::awaitable<core::Result<std::string>> {
        co_return co_await Query(ctx, operation, context.call,
                                 [&](pg::Connection& conn) { return QueryJobStats(conn, *stats); });
      });
}

// Not cached: alerts are written by the maintenance scheduler, not by ingest, so the cache's
// invalidation would not see them.
asio::awaitable<HttpResponse> AlertsHandler(LocalApiContext& ctx, const Operation& operation,
                                            const HttpRequest& request,
                                            const RequestContext& context) {
  auto filter = api::ParseAlertFilter(request.target(), core::NowMicros());
  if (!filter) co_return http::ErrorResponse(request, filter.error());
  std::string text = co_await Query(ctx, operation, context.call, [&](pg::Connection& conn) {
    return ListAlerts(conn, *filter);
  });
  co_return http::JsonResponse(request, http::status::ok, std::move(text));
}

}  // namespace

void AddQueryRoutes(http::Router& router, LocalApiContext& ctx) {
  auto ops = std::make_shared<QueryOperations>(ctx.metrics);
  router.Add(http::verb::get, "/v1/jobs",
             [&ctx, ops](const HttpRequest& request, RequestContext& context) {
               return ListHandler(ctx, ops->list_jobs, ListKind::kJobs, request, context);
             });
  router.Add(http::verb::get, "/v1/subjobs",
             [&ctx, ops](const HttpRequest& request, RequestContext& context) {
               return ListHandler(ctx, ops->list_subjobs, ListKind::kSubjobs, request, context);
             });
  router.Add(http::verb::get, "/v1/jobs/{job_id}",
             [&ctx, ops](const HttpRequest& request, RequestContext& context) {
               return JobHandler(ctx, ops->get_job, request, context);
             });
  router.Add(http::verb::get, "/v1/stats/jobs",
             [&ctx, ops](const HttpRequest& request, RequestContext& context) {
               return StatsHandler(ctx, ops->job_stats, request, context);
             });
  router.Add(http::verb::get, "/v1/alerts",
             [&ctx, ops](const HttpRequest& request, RequestContext& context) {
               return AlertsHandler(ctx, ops->list_alerts, request, context);
             });
}

}  // namespace dataplane::local_api
