#pragma once
// GET /v1/jobs/aggregate (SPEC §4): job statistics of every chosen site, merged exactly.
//
// Parameters — those of a site's GET /v1/stats/jobs (api/stats_params.h): from, to, bucket,
// group_by (site, app, status), status, app_name, site_id — plus `sites` and
// `partial_response`. `job_key` is refused (422): the statistics are kept per site, app, status
// and hour, not per job. The Central API aligns from/to itself (so every site covers the same
// buckets) and asks each site for `format=mergeable`; group_by=site groups by the site that
// answered (the Central API's site id), the other dimensions are asked of the sites.
//
// Answer: {"from","to","bucket","group_by","items":[…],"count","by_site":[…],"total":{…},
// "methods":{…},"p95_method":"merged_histogram","partial","sites"}. Items and by_site entries
// carry their group's fields and the figures of job_figures.h; counts and sums are exact sums
// over the sites, min/max exact, averages exact (sum / count), p50/p95 come from the merged
// duration histograms (within 2.5 % of the exact value). A site's `as_of` is when it last
// refreshed its statistics. A site whose answer is not a well-formed mergeable answer is a
// bad_answer and contributes nothing.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "api/stats_params.h"
#include "central_api/fan_out.h"
#include "core/error.h"
#include "core/time.h"

namespace dataplane::central_api {

struct AggregateRequest {
  api::StatsRequest stats;      // as parsed, aligned at the Central API's clock
  std::string forwarded_query;  // what each site is asked (format=mergeable included)
  std::optional<std::string> sites;
  bool partial_allowed = true;
};

core::Result<AggregateRequest> ParseAggregate(std::string_view target, core::Micros now);

//! "/v1/stats/jobs?…" for every site.
std::string SiteStatsTarget(const AggregateRequest& request);

//! The merged answer (without "partial" and "sites"); a call whose answer is not a mergeable
//! statistics answer is turned into a bad_answer.
boost::json::object MergeAggregate(const AggregateRequest& request, std::vector<SiteCall>& calls);

}  // namespace dataplane::central_api
