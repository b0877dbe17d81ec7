#include "central_api/aggregate.h"

#include <map>
#include <tuple>

#include <boost/url/url.hpp>

#include "api/query_params.h"
#include "central_api/job_figures.h"
#include "central_api/site_answer.h"

namespace dataplane::central_api {
namespace json = boost::json;

namespace {

// A group of the answer: bucket (RFC 3339, sorts in time order), site, app_id, status.
using GroupKey = std::tuple<std::string, std::string, std::string, std::string>;

struct Group {
  std::string app_name;
  JobFigures figures;
};

std::string StringOf(const json::object& item, std::string_view key) {
  const json::value* v = item.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The site dimensions to ask of the sites: group_by without `site`.
std::string SiteGroupBy(const api::StatsRequest& s) {
  std::string dims;
  if (s.by_app) dims += "app";
  if (s.by_status) dims += dims.empty() ? "status" : ",status";
  return dims;
}

json::array GroupByNames(const api::StatsRequest& s) {
  json::array names;
  if (s.by_site) names.emplace_back("site");
  if (s.by_app) names.emplace_back("app");
  if (s.by_status) names.emplace_back("status");
  return names;
}

// One site's answer, read whole before any of it is merged.
struct SiteStats {
  std::vector<std::pair<GroupKey, Group>> groups;
  JobFigures total;
};

core::Result<SiteStats> ReadSiteStats(const AggregateRequest& request, SiteCall& call) {
  const json::value* items = call.body.get_object().if_contains("items");
  if (!items || !items->is_array()) {
    return core::Error::Invalid("bad_stats_answer", "", "the answer has no items list");
  }
  SiteStats stats;
  for (const json::value& value : items->get_array()) {
    if (!value.is_object())
      return core::Error::Invalid("bad_stats_answer", "", "an item is no object");
    const json::object& item = value.get_object();
    auto figures = JobFigures::FromMergeableItem(item);
    if (!figures) return figures.error();
    const api::StatsRequest& s = request.stats;
    GroupKey key{s.bucket ? StringOf(item, "bucket") : "", s.by_site ? call.site_id : "",
                 s.by_app ? StringOf(item, "app_id") : "",
                 s.by_status ? StringOf(item, "status") : ""};
    stats.total.Merge(*figures);
    stats.groups.push_back(
        {std::move(key), Group{StringOf(item, "app_name"), std::move(*figures)}});
  }
  return stats;
}

// The site's statistics are as of their last refresh, when it says.
void TakeRefreshTime(SiteCall& call) {
  const json::value* refreshed = call.body.get_object().if_contains("refreshed_at");
  if (refreshed && refreshed->is_string()) {
    if (auto t = core::ParseRfc3339(refreshed->get_string())) call.as_of = *t;
  }
}

json::object GroupItem(const api::StatsRequest& s, const GroupKey& key, const Group& group) {
  json::object item;
  if (s.bucket) item["bucket"] = std::get<0>(key);
  if (s.by_site) item["site_id"] = std::get<1>(key);
  if (s.by_app) {
    item["app_id"] = std::get<2>(key);
    item["app_name"] = group.app_name;
  }
  if (s.by_status) item["status"] = std::get<3>(key);
  group.figures.WriteTo(item);
  return item;
}

json::object Methods() {
  return {{"job_count", "sum"},
          {"status_counts", "sum"},
          {"success_rate", "sum_ratio"},
          {"duration_avg", "sum_ratio"},
          {"duration_min", "min"},
          {"duration_max", "max"},
          {"duration_p50", "merged_histogram"},
          {"duration_p95", "merged_histogram"},
          {"cpu_avg", "sum_ratio"},
          {"mem_avg", "sum_ratio"},
          {"mem_max", "max"},
          {"histogram_error", "within 2.5 % of the exact value"}};
}

}  // namespace

core::Result<AggregateRequest> ParseAggregate(std::string_view target, core::Micros now) {
  AggregateRequest request;
  boost::urls::url stats_query;  // the stats parameters, checked as a site checks them
  boost::urls::url forwarded;
  auto status = api::ForEachQueryParam(
      target, [&](std::string_view key, const std::string& value) -> core::Status {
        if (key == "sites") {
          request.sites = value;
          return core::OkStatus();
        }
        if (key == "partial_response") {
          auto allowed = ParsePartialResponse(value);
          if (!allowed) return allowed.error();
          request.partial_allowed = *allowed;
          return core::OkStatus();
        }
        if (key == "job_key") {
          return api::BadParameter("job_key",
                                   "not available for aggregates: the statistics are kept per "
                                   "site, app, status and hour (list jobs with GET /v1/jobs)");
        }
        if (key == "format") return api::BadParameter("format", "unknown query parameter");
        stats_query.params().append({key, value});
        if (key != "from" && key != "to" && key != "group_by")
          forwarded.params().append({key, value});
        return core::OkStatus();
      });
  if (!status) return status.error();
  auto stats = api::ParseStatsRequest("/?" + std::string(stats_query.encoded_query()), now);
  if (!stats) return stats.error();
  request.stats = *stats;
  forwarded.params().append({"from", core::FormatRfc3339(stats->from)});
  forwarded.params().append({"to", core::FormatRfc3339(stats->to)});
  if (const std::string dims = SiteGroupBy(*stats); !dims.empty()) {
    forwarded.params().append({"group_by", dims});
  }
  forwarded.params().append({"format", "mergeable"});
  request.forwarded_query = std::string(forwarded.encoded_query());
  return request;
}

std::string SiteStatsTarget(const AggregateRequest& request) {
  return "/v1/stats/jobs?" + request.forwarded_query;
}

json::object MergeAggregate(const AggregateRequest& request, std::vector<SiteCall>& calls) {
  std::map<GroupKey, Group> groups;
  json::array by_site;
  JobFigures total;
  for (SiteCall& call : calls) {
    if (!call.ok()) continue;
    auto stats = ReadSiteStats(request, call);
    if (!stats) {
      call.status = SiteCallStatus::kBadAnswer;
      call.message = stats.error().message;
      continue;
    }
    TakeRefreshTime(call);
    for (auto& [key, group] : stats->groups) {
      Group& into = groups[key];
      if (into.app_name.empty()) into.app_name = group.app_name;
      into.figures.Merge(group.figures);
    }
    json::object site{{"site_id", call.site_id}};
    stats->total.WriteTo(site);
    by_site.push_back(std::move(site));
    total.Merge(stats->total);
  }
  json::array items;
  for (const auto& [key, group] : groups) items.push_back(GroupItem(request.stats, key, group));
  json::object body;
  body["from"] = core::FormatRfc3339(request.stats.from);
  body["to"] = core::FormatRfc3339(request.stats.to);
  body["bucket"] = request.stats.bucket ? json::value(api::ToString(*request.stats.bucket))
                                        : json::value(nullptr);
  body["group_by"] = GroupByNames(request.stats);
  body["count"] = items.size();
  body["items"] = std::move(items);
  body["by_site"] = std::move(by_site);
  json::object totals;
  total.WriteTo(totals);
  body["total"] = std::move(totals);
  body["methods"] = Methods();
  body["p95_method"] = "merged_histogram";
  return body;
}

}  // namespace dataplane::central_api
