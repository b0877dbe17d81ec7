#include "archiver/day_planner.h"

#include <set>

namespace dataplane::archiver {
namespace {

core::Result<std::set<std::int64_t>> HeldDays(pg::Connection& conn, const ArchivedTable& table) {
  auto rows = conn.TryExec(
      "SELECT day - date '1970-01-01' FROM archive_hold"
      " WHERE table_name = $1 AND hold_until > now()",
      {std::string(table.name)});
  if (!rows) return rows.error();
  std::set<std::int64_t> held;
  for (int r = 0; r < rows->Rows(); ++r) held.insert(rows->Int64(r, 0));
  return held;
}

core::Result<bool> HasLeavingRow(pg::Connection& conn, const ArchivedTable& table, ArchiveDay day,
                                 core::Micros cutoff) {
  auto rows = conn.TryExec("SELECT EXISTS (SELECT 1 FROM " + std::string(table.name) + " WHERE " +
                               LeavingRows(table) + ")",
                           LeavingRowsParams(day, cutoff));
  if (!rows) return rows.error();
  return rows->Bool(0, 0);
}

}  // namespace

core::Result<std::vector<ArchiveDay>> StoredDays(pg::Connection& conn, const ArchivedTable& table,
                                                 Backend backend) {
  const std::string sql =
      backend == Backend::kPostgres
          ? "SELECT DISTINCT to_date(substring(c.relname from '_p([0-9]{8})$'), 'YYYYMMDD')"
            " - date '1970-01-01' AS d"
            " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = to_regclass($1) AND c.relname ~ '_p[0-9]{8}$' ORDER BY d"
          : "SELECT DISTINCT d::date - date '1970-01-01' AS d"
            " FROM timescaledb_information.chunks,"
            " generate_series(date_trunc('day', range_start AT TIME ZONE 'UTC'),"
            " (range_end AT TIME ZONE 'UTC') - interval '1 microsecond', interval '1 day') d"
            " WHERE hypertable_name = $1 ORDER BY d";
  auto rows = conn.TryExec(sql, {std::string(table.name)});
  if (!rows) return rows.error();
  std::vector<ArchiveDay> days;
  for (int r = 0; r < rows->Rows(); ++r) days.push_back(ArchiveDay{rows->Int64(r, 0)});
  return days;
}

core::Result<std::vector<ArchiveDay>> PlanDays(pg::Connection& conn, const ArchivedTable& table,
                                               Backend backend, core::Micros cutoff) {
  auto stored = StoredDays(conn, table, backend);
  if (!stored) return stored.error();
  auto held = HeldDays(conn, table);
  if (!held) return held.error();
  std::vector<ArchiveDay> days;
  for (ArchiveDay day : *stored) {
    if (day.End() > cutoff || held->count(day.days) != 0) continue;
    auto leaving = HasLeavingRow(conn, table, day, cutoff);
    if (!leaving) return leaving.error();
    if (*leaving) days.push_back(day);
  }
  return days;
}

}  // namespace dataplane::archiver
