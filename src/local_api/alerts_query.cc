#include "local_api/alerts_query.h"

#include "local_api/row_writer.h"
#include "pg/sql_builder.h"

namespace dataplane::local_api {

std::string ListAlerts(pg::Connection& conn, const api::AlertFilter& f) {
  std::string sql =
      "SELECT alert_id, (extract(epoch FROM created_at) * 1000000)::int8, kind, severity, "
      "site_id, app_id::text, app_name, job_id::text, message, observed, baseline, score "
      "FROM alert";
  pg::SqlBuilder q;
  q.Add("created_at >= $?::timestamptz", {core::FormatPgTimestamp(f.since)});
  if (f.site_id) q.Add("site_id = $?", {*f.site_id});
  if (f.app_name) q.AddContainsIgnoringCase("app_name", *f.app_name);
  if (f.kind) q.Add("kind = $?", {*f.kind});
  if (!f.severities.empty()) {
    std::string list;
    for (const std::string& s : f.severities) list += (list.empty() ? "" : ",") + s;
    q.Add("severity = ANY (string_to_array($?, ','))", {list});
  }
  sql += q.Where() + " ORDER BY created_at DESC, alert_id DESC LIMIT " + std::to_string(f.limit);
  pg::PgResult r = conn.ExecPrepared(sql, q.params);
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
