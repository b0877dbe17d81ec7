#pragma once
// GET /v1/alerts: the alerts generate_alerts() wrote (timescaledb_enhancements.sql), newest
// first. Parameters (all optional; unknown ones are refused):
//   site_id    exact            app_name  case-insensitive substring
//   severity   comma list of info, warning, critical
//   kind       duration_outlier, failure_rate_spike or failure_rate_high
//   since      RFC 3339, default 24 hours ago     limit  1..1000, default 100
// Answer: {"items":[{alert_id, created_at, kind, severity, site_id, app_id, app_name, job_id,
// message, observed, baseline, score}],"count":n}.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "pg/connection.h"

namespace dataplane::local_api {

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

//! The answer as JSON text.
std::string ListAlerts(pg::Connection& conn, const AlertFilter& filter);

}  // namespace dataplane::local_api
