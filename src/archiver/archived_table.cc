#include "archiver/archived_table.h"

namespace dataplane::archiver {

const std::vector<ArchivedTable>& ArchivedTables() {
  static const std::vector<ArchivedTable> kTables = {
      {"event",
       "at",
       RowRule::kWholeDay,
       {"site_id", "entity_type", "kind", "status"},
       {"idempotency_key", "business_key"},
       {"idempotency_key", "at"}},
      {"job",
       "anchor_at",
       RowRule::kTerminalQuiet,
       {"site_id", "app_name", "app_version", "status", "last_event_kind"},
       {"job_key"},
       {"job_id", "anchor_at"}},
      {"subjob",
       "anchor_at",
       RowRule::kTerminalQuiet,
       {"site_id", "app_name", "app_version", "status", "last_event_kind"},
       {"job_key", "sub_key"},
       {"subjob_id", "anchor_at"}},
  };
  return kTables;
}

const ArchivedTable* FindArchivedTable(std::string_view name) {
  for (const ArchivedTable& table : ArchivedTables()) {
    if (table.name == name) return &table;
  }
  return nullptr;
}

std::string LeavingRows(const ArchivedTable& table) {
  std::string column(table.time_column);
  std::string sql = column + " >= $1::timestamptz AND " + column + " < $2::timestamptz";
  if (table.rule == RowRule::kTerminalQuiet) {
    sql += " AND status <> 'running' AND last_event_at < $3::timestamptz";
  } else {
    sql += " AND $3::timestamptz IS NOT NULL";
  }
  return sql;
}

pg::Params LeavingRowsParams(ArchiveDay day, core::Micros cutoff) {
  return {core::FormatPgTimestamp(day.Start()), core::FormatPgTimestamp(day.End()),
          core::FormatPgTimestamp(cutoff)};
}

}  // namespace dataplane::archiver
