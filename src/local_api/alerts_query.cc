#include "local_api/alerts_query.h"

#include <algorithm>

#include <boost/url/parse.hpp>

#include "local_api/query_params.h"
#include "local_api/row_writer.h"

namespace dataplane::local_api {
namespace {

constexpr int kMaxAlerts = 1000;
constexpr const char* kSeverities[] = {"info", "warning", "critical"};
constexpr const char* kKinds[] = {"duration_outlier", "failure_rate_spike", "failure_rate_high"};

template <std::size_t N>
bool OneOf(std::string_view value, const char* const (&allowed)[N]) {
  return std::find(std::begin(allowed), std::end(allowed), value) != std::end(allowed);
}

core::Status ApplyParam(std::string_view key, const std::string& value, AlertFilter& f) {
  if (key == "site_id") {
    f.site_id = value;
  } else if (key == "app_name") {
    f.app_name = value;
  } else if (key == "severity") {
    return ForEachListItem(value, [&f](std::string_view item) -> core::Status {
      if (!OneOf(item, kSeverities)) {
        return BadParameter("severity",
                            "'" + std::string(item) + "' is not one of info, warning, critical");
      }
      f.severities.emplace_back(item);
      return core::OkStatus();
    });
  } else if (key == "kind") {
    if (!OneOf(value, kKinds)) {
      return BadParameter("kind", "'" + value +
                                      "' is not one of duration_outlier, failure_rate_spike, "
                                      "failure_rate_high");
    }
    f.kind = value;
  } else if (key == "since") {
    auto t = core::ParseRfc3339(value);
    if (!t) return BadParameter("since", t.error().message);
    f.since = *t;
  } else if (key == "limit") {
    auto limit = ParseLimit(value, kMaxAlerts);
    if (!limit) return limit.error();
    f.limit = *limit;
  } else {
    return BadParameter(std::string(key), "unknown query parameter");
  }
  return core::OkStatus();
}

}  // namespace

core::Result<AlertFilter> ParseAlertFilter(std::string_view target, core::Micros now) {
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return core::Error::Malformed("bad_request", "malformed request target");
  AlertFilter f;
  f.since = now - 24 * 3600 * core::kMicrosPerSecond;
  for (const auto& param : url->params()) {
    if (param.key.empty() && !param.has_value) continue;
    if (auto s = ApplyParam(param.key, param.value, f); !s) return s.error();
  }
  return f;
}

std::string ListAlerts(pg::Connection& conn, const AlertFilter& f) {
  std::string sql =
      "SELECT alert_id, (extract(epoch FROM created_at) * 1000000)::int8, kind, severity, "
      "site_id, app_id::text, app_name, job_id::text, message, observed, baseline, score "
      "FROM alert WHERE created_at >= $1::timestamptz";
  pg::Params params{core::FormatPgTimestamp(f.since)};
  auto add = [&](const std::string& condition, std::string value) {
    params.push_back(std::move(value));
    std::string c = condition;
    c.replace(c.find("$?"), 2, "$" + std::to_string(params.size()));
    sql += " AND " + c;
  };
  if (f.site_id) add("site_id = $?", *f.site_id);
  if (f.app_name) add("strpos(lower(app_name), lower($?)) > 0", *f.app_name);
  if (f.kind) add("kind = $?", *f.kind);
  if (!f.severities.empty()) {
    std::string list;
    for (const std::string& s : f.severities) list += (list.empty() ? "" : ",") + s;
    add("severity = ANY (string_to_array($?, ','))", list);
  }
  sql += " ORDER BY created_at DESC, alert_id DESC LIMIT " + std::to_string(f.limit);
  pg::PgResult r = conn.ExecPrepared(sql, params);
  std::string out = "{\"items\":[";
  for (int row = 0; row < r.Rows(); ++row) {
    if (row > 0) out += ',';
    out += '{';
    RowWriter w(out, r, row);
    w.Integer("alert_id", 0);
    w.Time("created_at", 1);
    w.Text("kind", 2);
    w.Text("severity", 3);
    w.Text("site_id", 4);
    w.Text("app_id", 5);
    w.Text("app_name", 6);
    w.Text("job_id", 7);
    w.Text("message", 8);
    w.Number("observed", 9);
    w.Number("baseline", 10);
    w.Number("score", 11);
    out += '}';
  }
  out += "],\"count\":";
  core::AppendJsonNumber(out, static_cast<long long>(r.Rows()));
  out += '}';
  return out;
}

}  // namespace dataplane::local_api
