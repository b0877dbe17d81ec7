#include "archiver/archive_status.h"

#include "archiver/day_planner.h"
#include "core/time.h"

namespace dataplane::archiver {
namespace {

boost::json::value TextOrNull(const pg::PgResult& rows, int row, int col) {
  if (rows.IsNull(row, col)) return nullptr;
  return boost::json::string(rows.Text(row, col));
}

core::Result<boost::json::value> LastRun(pg::Connection& conn) {
  auto rows = conn.TryExec(
      "SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
      " to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
      " ok, parts, rows, bytes, error FROM archive_run ORDER BY run_id DESC LIMIT 1");
  if (!rows) return rows.error();
  if (rows->Rows() == 0) return boost::json::value(nullptr);
  return boost::json::value{{"started_at", TextOrNull(*rows, 0, 0)},
                            {"finished_at", TextOrNull(*rows, 0, 1)},
                            {"ok", rows->Bool(0, 2)},
                            {"parts", rows->Int64(0, 3)},
                            {"rows", rows->Int64(0, 4)},
                            {"bytes", rows->Int64(0, 5)},
                            {"error", TextOrNull(*rows, 0, 6)}};
}

core::Status AddRunHistory(pg::Connection& conn, boost::json::object& status) {
  auto last = LastRun(conn);
  if (!last) return last.error();
  status["last_run"] = std::move(*last);
  auto rows = conn.TryExec(
      "SELECT to_char(max(finished_at) FILTER (WHERE ok) AT TIME ZONE 'UTC',"
      " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
      " count(*) FILTER (WHERE NOT ok AND run_id > coalesce("
      "   (SELECT max(run_id) FROM archive_run WHERE ok), 0))"
      " FROM archive_run");
  if (!rows) return rows.error();
  status["last_success"] = TextOrNull(*rows, 0, 0);
  status["failed_runs_since_success"] = rows->Int64(0, 1);
  return core::OkStatus();
}

core::Result<boost::json::object> TableStatus(pg::Connection& conn, const ArchivedTable& table,
                                              Backend backend, core::Micros cutoff) {
  auto rows = conn.TryExec(
      "SELECT count(*), coalesce(sum(rows), 0), coalesce(sum(bytes), 0), min(day)::text,"
      " max(day)::text FROM archive_manifest WHERE table_name = $1",
      {std::string(table.name)});
  if (!rows) return rows.error();
  auto pending = PlanDays(conn, table, backend, cutoff);
  if (!pending) return pending.error();
  boost::json::object out{{"objects", rows->Int64(0, 0)},
                          {"rows", rows->Int64(0, 1)},
                          {"bytes", rows->Int64(0, 2)},
                          {"oldest_day", TextOrNull(*rows, 0, 3)},
                          {"newest_day", TextOrNull(*rows, 0, 4)},
                          {"pending_days", pending->size()}};
  out["oldest_pending_day"] =
      pending->empty() ? boost::json::value(nullptr) : boost::json::value(pending->front().Text());
  return out;
}

core::Result<boost::json::array> Holds(pg::Connection& conn) {
  auto rows = conn.TryExec(
      "SELECT table_name, day::text, to_char(hold_until AT TIME ZONE 'UTC',"
      " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM archive_hold WHERE hold_until > now()"
      " ORDER BY table_name, day");
  if (!rows) return rows.error();
  boost::json::array holds;
  for (int r = 0; r < rows->Rows(); ++r) {
    holds.push_back(
        {{"table", rows->Text(r, 0)}, {"day", rows->Text(r, 1)}, {"hold_until", rows->Text(r, 2)}});
  }
  return holds;
}

}  // namespace

core::Result<boost::json::object> ReadArchiveStatus(pg::Connection& conn,
                                                    const ArchiverSettings& settings,
                                                    core::Micros now) {
  auto backend = ReadBackend(conn);
  if (!backend) return backend.error();
  boost::json::object status;
  if (core::Status history = AddRunHistory(conn, status); !history) return history.error();
  const core::Micros cutoff =
      now - std::chrono::duration_cast<std::chrono::microseconds>(settings.archive_after).count();
  status["cutoff"] = core::FormatRfc3339(cutoff);
  boost::json::object tables;
  for (const ArchivedTable& table : ArchivedTables()) {
    auto one = TableStatus(conn, table, *backend, cutoff);
    if (!one) return one.error();
    tables[table.name] = std::move(*one);
  }
  status["tables"] = std::move(tables);
  auto holds = Holds(conn);
  if (!holds) return holds.error();
  status["holds"] = std::move(*holds);
  return status;
}

}  // namespace dataplane::archiver
