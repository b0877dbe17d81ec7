#pragma once
// The parameters of GET /v1/alerts, parsed and validated. All optional; unknown ones are
// refused:
//   site_id    exact            app_name  case-insensitive substring
//   severity   comma list of info, warning, critical
//   kind       duration_outlier, failure_rate_spike or failure_rate_high
//   since      RFC 3339, default 24 hours ago     limit  1..1000, default 100
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"

namespace dataplane::api {

struct AlertFilter {
  std::optional<std::string> site_id;
  std::optional<std::string> app_name;
  std::vector<std::string> severities;
  std::optional<std::string> kind;
  core::Micros since = 0;
  int limit = 100;
};

//! Parses the parameters of `target`; `since` defaults to now minus 24 hours.
core::Result<AlertFilter> ParseAlertFilter(std::string_view target, core::Micros now);

}  // namespace dataplane::api
