#include "local_api/state_queries.h"

#include <boost/json/parse.hpp>

#include "core/json_writer.h"
#include "core/time.h"

namespace dataplane::local_api {
namespace json = boost::json;

namespace {

constexpr int kMaxTimelineEvents = 5000;
constexpr int kMaxSubjobs = 10000;

std::string MicrosOf(const char* column) {
  return std::string("(extract(epoch from ") + column + ") * 1000000)::int8";
}

// Columns common to job and subjob rows, in the order RowToJson reads them.
std::string StateColumns(ListKind kind) {
  std::string id = kind == ListKind::kJobs ? "job_id" : "subjob_id";
  std::string cols =
      id + ", site_id, app_id, app_name, app_version, job_key, status, last_event_kind, " +
      MicrosOf("last_event_at") + ", " + MicrosOf("started_at") + ", " + MicrosOf("finished_at") +
      ", duration_s, cpu_user_s, cpu_system_s, mem_max_mb, " + "metadata::text, event_count, " +
      MicrosOf("created_at") + ", " + MicrosOf("updated_at");
  if (kind == ListKind::kSubjobs) cols += ", job_id, sub_key";
  return cols;
}

json::value OptText(const pg::PgResult& r, int row, int col) {
  if (r.IsNull(row, col)) return nullptr;
  return json::string(r.Text(row, col));
}
json::value OptTime(const pg::PgResult& r, int row, int col) {
  if (r.IsNull(row, col)) return nullptr;
  return json::string(core::FormatRfc3339(r.Int64(row, col)));
}
json::value OptNumber(const pg::PgResult& r, int row, int col) {
  if (r.IsNull(row, col)) return nullptr;
  return r.Double(row, col);
}

json::object RowToJson(const pg::PgResult& r, int row, ListKind kind) {
  json::object o;
  o[kind == ListKind::kJobs ? "job_id" : "subjob_id"] = r.Text(row, 0);
  if (kind == ListKind::kSubjobs) {
    o["job_id"] = r.Text(row, 19);
    o["sub_key"] = OptText(r, row, 20);
  }
  o["site_id"] = r.Text(row, 1);
  o["app_id"] = r.Text(row, 2);
  o["app_name"] = r.Text(row, 3);
  o["app_version"] = OptText(r, row, 4);
  o["job_key"] = OptText(r, row, 5);
  o["status"] = r.Text(row, 6);
  o["last_event_kind"] = r.Text(row, 7);
  o["last_event_at"] = OptTime(r, row, 8);
  o["started_at"] = OptTime(r, row, 9);
  o["finished_at"] = OptTime(r, row, 10);
  o["duration_s"] = OptNumber(r, row, 11);
  o["cpu_user_s"] = OptNumber(r, row, 12);
  o["cpu_system_s"] = OptNumber(r, row, 13);
  o["mem_max_mb"] = OptNumber(r, row, 14);
  o["metadata"] = json::parse(r.Text(row, 15));
  o["event_count"] = r.Int64(row, 16);
  o["created_at"] = OptTime(r, row, 17);
  o["updated_at"] = OptTime(r, row, 18);
  return o;
}

// Conditions with $n placeholders and their parameters.
// The JSON text of one state row, with the same fields and order as RowToJson. metadata is
// JSONB printed by PostgreSQL, so it is valid JSON and is copied as is.
void AppendRow(std::string& out, const pg::PgResult& r, int row, ListKind kind) {
  auto key = [&out](const char* name) {
    out += out.back() == '{' ? "\"" : ",\"";
    out += name;
    out += "\":";
  };
  auto text = [&](const char* name, int col) {
    key(name);
    if (r.IsNull(row, col)) {
      out += "null";
    } else {
      core::AppendJsonString(out, r.Text(row, col));
    }
  };
  auto time = [&](const char* name, int col) {
    key(name);
    if (r.IsNull(row, col)) {
      out += "null";
    } else {
      core::AppendJsonString(out, core::FormatRfc3339(r.Int64(row, col)));
    }
  };
  auto number = [&](const char* name, int col) {
    key(name);
    if (r.IsNull(row, col)) {
      out += "null";
    } else {
      core::AppendJsonNumber(out, r.Double(row, col));
    }
  };
  out += '{';
  text(kind == ListKind::kJobs ? "job_id" : "subjob_id", 0);
  if (kind == ListKind::kSubjobs) {
    text("job_id", 19);
    text("sub_key", 20);
  }
  text("site_id", 1);
  text("app_id", 2);
  text("app_name", 3);
  text("app_version", 4);
  text("job_key", 5);
  text("status", 6);
  text("last_event_kind", 7);
  time("last_event_at", 8);
  time("started_at", 9);
  time("finished_at", 10);
  number("duration_s", 11);
  number("cpu_user_s", 12);
  number("cpu_system_s", 13);
  number("mem_max_mb", 14);
  key("metadata");
  out += r.Text(row, 15);
  key("event_count");
  core::AppendJsonNumber(out, static_cast<long long>(r.Int64(row, 16)));
  time("created_at", 17);
  time("updated_at", 18);
  out += '}';
}

struct SqlBuilder {
  std::vector<std::string> conditions;
  pg::Params params;
  //! `condition` holds one "$?" per value, numbered in order.
  void Add(std::string condition, std::vector<std::string> values) {
    for (std::string& value : values) {
      params.push_back(std::move(value));
      condition.replace(condition.find("$?"), 2, "$" + std::to_string(params.size()));
    }
    conditions.push_back(std::move(condition));
  }
  std::string Where(const std::string& extra = {}) const {
    std::string out;
    for (const std::string& c : conditions) out += (out.empty() ? " WHERE " : " AND ") + c;
    if (!extra.empty()) out += (out.empty() ? " WHERE " : " AND ") + extra;
    return out;
  }
};

}  // namespace

std::string ListStates(pg::Connection& conn, ListKind kind, const ListFilter& f) {
  const std::string id = kind == ListKind::kJobs ? "job_id" : "subjob_id";
  const std::string table = kind == ListKind::kJobs ? "job" : "subjob";
  SqlBuilder q;
  if (f.from) q.Add("last_event_at >= $?::timestamptz", {core::FormatPgTimestamp(*f.from)});
  if (f.to) q.Add("last_event_at < $?::timestamptz", {core::FormatPgTimestamp(*f.to)});
  if (f.app_name) q.Add("strpos(lower(app_name), lower($?)) > 0", {*f.app_name});
  if (f.site_id) q.Add("site_id = $?", {*f.site_id});
  if (f.job_key) q.Add("job_key = $?", {*f.job_key});
  if (f.job_id) q.Add("job_id = $?::uuid", {*f.job_id});
  if (f.cursor) {
    q.Add("(last_event_at, " + id + ") < ($?::timestamptz, $?::uuid)",
          {core::FormatPgTimestamp(f.cursor->last_event_at), f.cursor->id});
  }
  const std::string order =
      " ORDER BY last_event_at DESC, " + id + " DESC LIMIT " + std::to_string(f.limit + 1);
  std::string sql;
  if (f.statuses.empty()) {
    sql = "SELECT " + StateColumns(kind) + " FROM " + table + q.Where() + order;
  } else {
    // One ordered branch per status, merged: each branch walks the (status, last_event_at, id)
    // index in order, where "status = ANY(…)" would walk every newer row of other statuses.
    std::string branches;
    for (const std::string& status : f.statuses) {
      q.params.push_back(status);
      const std::string branch = "(SELECT * FROM " + table +
                                 q.Where("status = $" + std::to_string(q.params.size())) + order +
                                 ")";
      branches += (branches.empty() ? "" : " UNION ALL ") + branch;
    }
    sql = "SELECT " + StateColumns(kind) + " FROM (" + branches + ") s" + order;
  }
  pg::PgResult r = conn.ExecPrepared(sql, q.params);
  const int shown = std::min(r.Rows(), f.limit);
  std::string out;
  out.reserve(static_cast<std::size_t>(shown) * 700 + 128);
  out += "{\"items\":[";
  for (int row = 0; row < shown; ++row) {
    if (row > 0) out += ',';
    AppendRow(out, r, row, kind);
  }
  out += "],\"count\":";
  core::AppendJsonNumber(out, static_cast<long long>(shown));
  out += ",\"next_cursor\":";
  if (r.Rows() > f.limit) {
    core::AppendJsonString(
        out, EncodeCursor({r.Int64(shown - 1, 8), std::string(r.Text(shown - 1, 0))}));
  } else {
    out += "null";
  }
  out += '}';
  return out;
}

std::optional<json::object> GetJobDetail(pg::Connection& conn, const std::string& job_id) {
  pg::PgResult job =
      conn.ExecPrepared("SELECT " + StateColumns(ListKind::kJobs) +
                            " FROM job WHERE job_id = $1::uuid AND anchor_at = "
                            "(SELECT anchor_at FROM entity_anchor WHERE entity_id = $1::uuid)",
                        {job_id});
  if (job.Rows() == 0) return std::nullopt;
  json::object out = RowToJson(job, 0, ListKind::kJobs);

  pg::PgResult subjobs =
      conn.ExecPrepared("SELECT " + StateColumns(ListKind::kSubjobs) +
                            " FROM subjob WHERE job_id = $1::uuid "
                            "ORDER BY started_at NULLS LAST, sub_key, subjob_id LIMIT " +
                            std::to_string(kMaxSubjobs),
                        {job_id});
  json::array subjob_items;
  for (int row = 0; row < subjobs.Rows(); ++row) {
    subjob_items.push_back(RowToJson(subjobs, row, ListKind::kSubjobs));
  }
  out["subjobs"] = std::move(subjob_items);

  pg::PgResult events = conn.ExecPrepared(
      "SELECT idempotency_key, " + MicrosOf("at") +
          ", entity_type, entity_id, sub_key, kind, status, duration_s, cpu_user_s, "
          "cpu_system_s, mem_max_mb, metadata::text, " +
          MicrosOf("received_at") +
          " FROM event WHERE entity_id = $1::uuid OR parent_id = $1::uuid "
          "ORDER BY at, received_at LIMIT " +
          std::to_string(kMaxTimelineEvents),
      {job_id});
  json::array timeline;
  for (int row = 0; row < events.Rows(); ++row) {
    json::object e;
    e["idempotency_key"] = events.Text(row, 0);
    e["at"] = OptTime(events, row, 1);
    e["entity_type"] = events.Text(row, 2);
    e["entity_id"] = events.Text(row, 3);
    e["sub_key"] = OptText(events, row, 4);
    e["kind"] = events.Text(row, 5);
    e["status"] = events.Text(row, 6);
    e["duration_s"] = OptNumber(events, row, 7);
    e["cpu_user_s"] = OptNumber(events, row, 8);
    e["cpu_system_s"] = OptNumber(events, row, 9);
    e["mem_max_mb"] = OptNumber(events, row, 10);
    e["metadata"] =
        events.IsNull(row, 11) ? json::value(json::object()) : json::parse(events.Text(row, 11));
    e["received_at"] = OptTime(events, row, 12);
    timeline.push_back(std::move(e));
  }
  out["timeline"] = std::move(timeline);
  return out;
}

}  // namespace dataplane::local_api
