#include "central_api/query_routes.h"

#include <algorithm>
#include <chrono>

#include <boost/json/serialize.hpp>

#include "api/query_params.h"
#include "central_api/aggregate.h"
#include "central_api/cross_site_list.h"
#include "central_api/site_answer.h"
#include "core/uuid.h"
#include "http/request_context.h"
#include "http/status.h"

namespace dataplane::central_api {
namespace asio = boost::asio;
namespace json = boost::json;
using http::HttpRequest;
using http::HttpResponse;
using http::RequestContext;

namespace {

// Records what this answer, now built, took beyond the slowest of its site calls (as the
// Central API timed them: connection, the site's own work and the transfer) since the request
// was read: parsing, fan-out, checking and merging the answers, writing this one.
void ObserveOverhead(CentralApiContext& ctx, const RequestContext& context,
                     const std::vector<SiteCall>& calls) {
  double slowest_ms = 0;
  for (const SiteCall& call : calls) slowest_ms = std::max(slowest_ms, call.latency_ms);
  const double total_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - context.received).count();
  ctx.fan_out_overhead.WithLabels({std::string(context.route)})
      .Observe(std::max(0.0, total_s - slowest_ms / 1000));
}

template <typename Body>  // json::object, or the members' JSON text
HttpResponse Answer(CentralApiContext& ctx, const HttpRequest& request,
                    const RequestContext& context, Body body, const std::vector<SiteCall>& calls,
                    bool partial_allowed) {
  if (AnyFailed(calls)) ctx.partial_answers.WithLabels({std::string(context.route)}).Inc();
  HttpResponse response = SitesAnswer(request, std::move(body), calls, partial_allowed);
  ObserveOverhead(ctx, context, calls);
  return response;
}

asio::awaitable<HttpResponse> ListHandler(CentralApiContext& ctx, api::ListKind kind,
                                          const HttpRequest& request,
                                          const RequestContext& context) {
  auto list = ParseCrossSiteList(request.target(), kind);
  if (!list) co_return http::ErrorResponse(request, list.error());
  auto chosen = ctx.sites.Select(list->sites);
  if (!chosen) co_return http::ErrorResponse(request, chosen.error());
  std::vector<Site*> asked;
  for (Site* site : *chosen) {
    if (SiteHasMore(*list, site->Id())) asked.push_back(site);
  }
  std::vector<SiteCall> calls = co_await ctx.fan_out.Get(
      asked, [&](const Site& site) { return SitePageTarget(*list, site.Id()); }, context.call, true,
      AnswerForm::kText);
  std::string body = MergeSitePages(*list, calls);
  co_return Answer(ctx, request, context, std::move(body), calls, list->partial_allowed);
}

asio::awaitable<HttpResponse> AggregateHandler(CentralApiContext& ctx, const HttpRequest& request,
                                               const RequestContext& context) {
  auto aggregate = ParseAggregate(request.target(), core::NowMicros());
  if (!aggregate) co_return http::ErrorResponse(request, aggregate.error());
  auto chosen = ctx.sites.Select(aggregate->sites);
  if (!chosen) co_return http::ErrorResponse(request, chosen.error());
  const std::string target = SiteStatsTarget(*aggregate);
  std::vector<SiteCall> calls = co_await ctx.fan_out.Get(
      *chosen, [&](const Site&) { return target; }, context.call);
  json::object body = MergeAggregate(*aggregate, calls);
  co_return Answer(ctx, request, context, std::move(body), calls, aggregate->partial_allowed);
}

core::Result<std::optional<std::string>> ParseJobLookup(std::string_view target) {
  std::optional<std::string> sites;
  auto status = api::ForEachQueryParam(target, [&](std::string_view key, const std::string& value) {
    if (key != "sites")
      return core::Status(api::BadParameter(std::string(key), "unknown query parameter"));
    sites = value;
    return core::OkStatus();
  });
  if (!status) return status.error();
  return sites;
}

// Names the sites that did not answer, for the 503 of a lookup that found nothing.
std::string Unanswered(const std::vector<SiteCall>& calls) {
  std::string names;
  for (const SiteCall& call : calls) {
    if (call.ok() || call.http_status == 404) continue;
    if (!names.empty()) names += ", ";
    names += call.site_id + " (" + std::string(ToString(call.status)) + ")";
  }
  return names;
}

asio::awaitable<HttpResponse> JobHandler(CentralApiContext& ctx, const HttpRequest& request,
                                         const RequestContext& context) {
  auto id = core::ParseUuid(context.params[0]);
  if (!id) {
    co_return http::ErrorResponse(
        request, core::Error::Invalid("invalid_uuid", "job_id",
                                      "job_id: " + context.params[0] + " is not a UUID"));
  }
  auto sites = ParseJobLookup(request.target());
  if (!sites) co_return http::ErrorResponse(request, sites.error());
  auto chosen = ctx.sites.Select(*sites);
  if (!chosen) co_return http::ErrorResponse(request, chosen.error());
  const std::string target = "/v1/jobs/" + core::FormatUuid(*id);
  std::vector<SiteCall> calls = co_await ctx.fan_out.Get(
      *chosen, [&](const Site&) { return target; }, context.call);
  for (SiteCall& call : calls) {
    if (!call.ok()) continue;
    json::object body = std::move(call.body.get_object());
    body["site_id"] = call.site_id;
    body["partial"] = false;
    body["sites"] = SiteReports(calls);
    HttpResponse found = http::JsonResponse(request, http::status::ok, json::serialize(body));
    ObserveOverhead(ctx, context, calls);
    co_return found;
  }
  const std::string unanswered = Unanswered(calls);
  if (unanswered.empty()) {
    co_return http::ErrorResponse(
        request, core::Error{core::ErrorKind::kNotFound, "job_not_found",
                             "no site has job " + core::FormatUuid(*id), "job_id"});
  }
  core::Error error = core::Error::Unavailable("job " + core::FormatUuid(*id) +
                                               " is on none of the sites that answered; not "
                                               "answered: " +
                                               unanswered);
  json::object refusal = http::ErrorBody(error);
  refusal["sites"] = SiteReports(calls);
  ctx.partial_answers.WithLabels({std::string(context.route)}).Inc();
  co_return http::KindResponse(request, error.kind, json::serialize(refusal));
}

}  // namespace

void AddQueryRoutes(http::Router& router, CentralApiContext& ctx) {
  router.Add(http::verb::get, "/v1/jobs",
             [&ctx](const HttpRequest& request, RequestContext& context) {
               return ListHandler(ctx, api::ListKind::kJobs, request, context);
             });
  router.Add(http::verb::get, "/v1/subjobs",
             [&ctx](const HttpRequest& request, RequestContext& context) {
               return ListHandler(ctx, api::ListKind::kSubjobs, request, context);
             });
  router.Add(http::verb::get, "/v1/jobs/aggregate",
             [&ctx](const HttpRequest& request, RequestContext& context) {
               return AggregateHandler(ctx, request, context);
             });
  router.Add(http::verb::get, "/v1/jobs/{job_id}",
             [&ctx](const HttpRequest& request, RequestContext& context) {
               return JobHandler(ctx, request, context);
             });
}

}  // namespace dataplane::central_api
