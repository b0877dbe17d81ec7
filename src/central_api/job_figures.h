#pragma once
// The job statistics of one group (a site, an app, a status, a bucket …) in the form that adds
// up exactly across sites: counts and sums add, minima and maxima take the extreme, and the
// duration percentiles come from the merged log-scale histogram (api/duration_histogram.h,
// within 2.5 % of the exact value: the bins are 5 % wide). Read from an item of a site's
// `GET /v1/stats/jobs?format=mergeable` answer, written in the shape of the Local API's items
// (docs/api.md, "GET /v1/jobs/aggregate").
#include <cstdint>
#include <optional>

#include <boost/json/object.hpp>

#include "api/duration_histogram.h"
#include "core/error.h"

namespace dataplane::central_api {

struct JobFigures {
  std::int64_t job_count = 0, succeeded = 0, failed = 0, canceled = 0;
  std::int64_t duration_count = 0;
  double duration_sum = 0;
  std::optional<double> duration_min, duration_max;
  api::DurationHistogram duration_histogram;
  std::int64_t cpu_count = 0;
  double cpu_sum = 0;
  std::int64_t mem_count = 0;
  double mem_sum = 0;
  std::optional<double> mem_max;

  void Merge(const JobFigures& other);

  //! The figures of a mergeable item; a refusal names what is missing or malformed.
  static core::Result<JobFigures> FromMergeableItem(const boost::json::object& item);
  //! Adds job_count, succeeded_count, failed_count, canceled_count, running_count,
  //! success_rate, duration_s {avg,min,p50,p95,max,count}, cpu_s {avg}, mem_mb {avg,max}.
  void WriteTo(boost::json::object& out) const;
};

}  // namespace dataplane::central_api
