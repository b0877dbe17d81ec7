#include "local_api/state_queries.h"

#include "core/json_writer.h"
#include "core/time.h"
#include "local_api/row_writer.h"
#include "pg/sql_builder.h"

namespace dataplane::local_api {
using api::ListFilter;
using api::ListKind;
namespace {

constexpr int kMaxTimelineEvents = 5000;
constexpr int kMaxSubjobs = 10000;

// Columns common to job and subjob rows, in the order AppendStateFields reads them. The
// queries ask for binary results (pg/result.h): times come as timestamptz, ids as uuid bytes.
std::string BuildStateColumns(ListKind kind) {
  std::string id = kind == ListKind::kJobs ? "job_id" : "subjob_id";
  std::string cols = id +
                     ", site_id, app_id, app_name, app_version, job_key, status, last_event_kind, "
                     "last_event_at, started_at, finished_at, duration_s, cpu_user_s, "
                     "cpu_system_s, mem_max_mb, metadata::text, event_count, created_at, "
                     "updated_at";
  if (kind == ListKind::kSubjobs) cols += ", job_id, sub_key";
  return cols;
}

// Built once: every query of a request would otherwise rebuild the same text.
const std::string& StateColumns(ListKind kind) {
  static const std::string jobs = BuildStateColumns(ListKind::kJobs);
  static const std::string subjobs = BuildStateColumns(ListKind::kSubjobs);
  return kind == ListKind::kJobs ? jobs : subjobs;
}

// The members of a job or subjob state row selected with StateColumns.
void AppendStateFields(std::string& out, const pg::PgResult& r, int row, ListKind kind) {
  RowWriter w(out, r, row);
  w.Uuid(kind == ListKind::kJobs ? "job_id" : "subjob_id", 0);
  if (kind == ListKind::kSubjobs) {
    w.Uuid("job_id", 19);
    w.Text("sub_key", 20);
  }
  w.Text("site_id", 1);
  w.Uuid("app_id", 2);
  w.Text("app_name", 3);
  w.Text("app_version", 4);
  w.Text("job_key", 5);
  w.Text("status", 6);
  w.Text("last_event_kind", 7);
  w.Time("last_event_at", 8);
  w.Time("started_at", 9);
  w.Time("finished_at", 10);
  w.Number("duration_s", 11);
  w.Number("cpu_user_s", 12);
  w.Number("cpu_system_s", 13);
  w.Number("mem_max_mb", 14);
  w.Json("metadata", 15);
  w.Integer("event_count", 16);
  w.Time("created_at", 17);
  w.Time("updated_at", 18);
}

// An array of state rows: [{…},{…}], the first `rows` of `r`.
void AppendStateArray(std::string& out, const pg::PgResult& r, int rows, ListKind kind) {
  out += '[';
  for (int row = 0; row < rows; ++row) {
    out += row > 0 ? ",{" : "{";
    AppendStateFields(out, r, row, kind);
    out += '}';
  }
  out += ']';
}

}  // namespace

std::string ListStates(pg::Connection& conn, ListKind kind, const ListFilter& f) {
  const std::string id = kind == ListKind::kJobs ? "job_id" : "subjob_id";
  const std::string table = kind == ListKind::kJobs ? "job" : "subjob";
  pg::SqlBuilder q;
  if (f.from) q.Add("last_event_at >= $?::timestamptz", {core::FormatPgTimestamp(*f.from)});
  if (f.to) q.Add("last_event_at < $?::timestamptz", {core::FormatPgTimestamp(*f.to)});
  if (f.app_name) q.AddContainsIgnoringCase("app_name", *f.app_name);
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
  pg::PgResult r = conn.ExecPrepared(sql, q.params, pg::ResultFormat::kBinary);
  const int shown = std::min(r.Rows(), f.limit);
  std::string out;
  out.reserve(static_cast<std::size_t>(shown) * 700 + 128);
  out += "{\"items\":";
  AppendStateArray(out, r, shown, kind);
  out += ",\"count\":";
  core::AppendJsonNumber(out, static_cast<long long>(shown));
  out += ",\"next_cursor\":";
  if (r.Rows() > f.limit) {
    std::string last_id;
    r.AppendUuid(last_id, shown - 1, 0);
    core::AppendJsonString(out, api::EncodeCursor({r.Micros(shown - 1, 8), std::move(last_id)}));
  } else {
    out += "null";
  }
  out += '}';
  return out;
}

std::optional<std::string> GetJobDetail(pg::Connection& conn, const std::string& job_id) {
  static const std::string kJobSql =
      "SELECT " + StateColumns(ListKind::kJobs) +
      " FROM job WHERE job_id = $1::uuid AND anchor_at = "
      "(SELECT anchor_at FROM entity_anchor WHERE entity_id = $1::uuid)";
  static const std::string kSubjobsSql =
      "SELECT " + StateColumns(ListKind::kSubjobs) +
      " FROM subjob WHERE job_id = $1::uuid "
      "ORDER BY started_at NULLS LAST, sub_key, subjob_id LIMIT " +
      std::to_string(kMaxSubjobs);
  static const std::string kTimelineSql =
      "SELECT idempotency_key, at, entity_type, entity_id, sub_key, kind, status, duration_s, "
      "cpu_user_s, cpu_system_s, mem_max_mb, metadata::text, received_at FROM event WHERE "
      "entity_id = $1::uuid OR parent_id = $1::uuid "
      "ORDER BY at, received_at LIMIT " +
      std::to_string(kMaxTimelineEvents);
  constexpr pg::ResultFormat kBinary = pg::ResultFormat::kBinary;
  pg::PgResult job = conn.ExecPrepared(kJobSql, {job_id}, kBinary);
  if (job.Rows() == 0) return std::nullopt;
  pg::PgResult subjobs = conn.ExecPrepared(kSubjobsSql, {job_id}, kBinary);
  pg::PgResult events = conn.ExecPrepared(kTimelineSql, {job_id}, kBinary);

  std::string out = "{";
  AppendStateFields(out, job, 0, ListKind::kJobs);
  out += ",\"subjobs\":";
  AppendStateArray(out, subjobs, subjobs.Rows(), ListKind::kSubjobs);
  out += ",\"timeline\":[";
  for (int row = 0; row < events.Rows(); ++row) {
    out += row > 0 ? ",{" : "{";
    RowWriter w(out, events, row);
    w.Text("idempotency_key", 0);
    w.Time("at", 1);
    w.Text("entity_type", 2);
    w.Uuid("entity_id", 3);
    w.Text("sub_key", 4);
    w.Text("kind", 5);
    w.Text("status", 6);
    w.Number("duration_s", 7);
    w.Number("cpu_user_s", 8);
    w.Number("cpu_system_s", 9);
    w.Number("mem_max_mb", 10);
    w.Json("metadata", 11);
    w.Time("received_at", 12);
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace dataplane::local_api
