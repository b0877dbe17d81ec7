#include "archiver/manifest.h"

#include "core/time.h"

namespace dataplane::archiver {

core::Result<std::map<std::string, int>> NextParts(pg::Connection& conn, std::string_view table,
                                                   ArchiveDay day) {
  auto rows = conn.TryExec(
      "SELECT site_id, max(part) + 1 FROM archive_manifest"
      " WHERE table_name = $1 AND day = $2::date GROUP BY site_id",
      {std::string(table), day.Text()});
  if (!rows) return rows.error();
  std::map<std::string, int> next;
  for (int r = 0; r < rows->Rows(); ++r) {
    next[std::string(rows->Text(r, 0))] = static_cast<int>(rows->Int64(r, 1));
  }
  return next;
}

core::Result<std::set<std::string>> ManifestKeys(pg::Connection& conn, std::string_view table,
                                                 ArchiveDay day, const std::string& store) {
  auto rows = conn.TryExec(
      "SELECT object_key FROM archive_manifest"
      " WHERE table_name = $1 AND day = $2::date AND store = $3",
      {std::string(table), day.Text(), store});
  if (!rows) return rows.error();
  std::set<std::string> keys;
  for (int r = 0; r < rows->Rows(); ++r) keys.emplace(rows->Text(r, 0));
  return keys;
}

core::Status InsertManifestRows(pg::Connection& conn, std::string_view table, ArchiveDay day,
                                const std::string& store, const std::string& codec,
                                const std::vector<ExportedPart>& parts) {
  for (const ExportedPart& part : parts) {
    auto inserted = conn.TryExec(
        "INSERT INTO archive_manifest (table_name, site_id, day, part, object_key, store, rows,"
        " bytes, sha256, codec, min_at, max_at)"
        " VALUES ($1, $2, $3::date, $4::int, $5, $6, $7::bigint, $8::bigint, $9, $10,"
        " $11::timestamptz, $12::timestamptz)",
        {std::string(table), part.site_id, day.Text(), std::to_string(part.part), part.key, store,
         std::to_string(part.rows), std::to_string(part.file.bytes), part.file.sha256_hex, codec,
         core::FormatRfc3339(part.min_at), core::FormatRfc3339(part.max_at)});
    if (!inserted) return inserted.error();
  }
  return core::OkStatus();
}

core::Result<std::vector<ArchiveDay>> ArchivedDays(pg::Connection& conn, std::string_view table,
                                                   ArchiveDay from, ArchiveDay to) {
  auto rows = conn.TryExec(
      "SELECT DISTINCT day - date '1970-01-01' FROM archive_manifest"
      " WHERE table_name = $1 AND day BETWEEN $2::date AND $3::date ORDER BY 1",
      {std::string(table), from.Text(), to.Text()});
  if (!rows) return rows.error();
  std::vector<ArchiveDay> days;
  for (int r = 0; r < rows->Rows(); ++r) days.push_back({rows->Int64(r, 0)});
  return days;
}

core::Result<std::vector<ManifestPart>> DayParts(pg::Connection& conn, std::string_view table,
                                                 ArchiveDay day) {
  auto rows = conn.TryExec(
      "SELECT site_id, part, object_key, store, rows, bytes, sha256 FROM archive_manifest"
      " WHERE table_name = $1 AND day = $2::date ORDER BY site_id, part",
      {std::string(table), day.Text()});
  if (!rows) return rows.error();
  std::vector<ManifestPart> parts;
  for (int r = 0; r < rows->Rows(); ++r) {
    parts.push_back({std::string(rows->Text(r, 0)), static_cast<int>(rows->Int64(r, 1)),
                     std::string(rows->Text(r, 2)), std::string(rows->Text(r, 3)),
                     static_cast<std::uint64_t>(rows->Int64(r, 4)),
                     static_cast<std::uint64_t>(rows->Int64(r, 5)), std::string(rows->Text(r, 6))});
  }
  return parts;
}

core::Status DeleteManifestDay(pg::Connection& conn, std::string_view table, ArchiveDay day) {
  auto deleted =
      conn.TryExec("DELETE FROM archive_manifest WHERE table_name = $1 AND day = $2::date",
                   {std::string(table), day.Text()});
  if (!deleted) return deleted.error();
  return core::OkStatus();
}

core::Status HoldDay(pg::Connection& conn, std::string_view table, ArchiveDay day,
                     std::chrono::hours hold) {
  auto held = conn.TryExec(
      "INSERT INTO archive_hold (table_name, day, hold_until)"
      " VALUES ($1, $2::date, now() + $3::bigint * interval '1 hour')"
      " ON CONFLICT (table_name, day) DO UPDATE"
      " SET hold_until = EXCLUDED.hold_until, created_at = now()",
      {std::string(table), day.Text(), std::to_string(hold.count())});
  if (!held) return held.error();
  return core::OkStatus();
}

core::Status RecordRun(pg::Connection& conn, const RunRecord& run) {
  auto recorded = conn.TryExec(
      "WITH added AS (INSERT INTO archive_run (started_at, finished_at, ok, parts, rows, bytes,"
      " error) VALUES ($1::timestamptz, $2::timestamptz, $3::boolean, $4::int, $5::bigint,"
      " $6::bigint, $7) RETURNING run_id)"
      " DELETE FROM archive_run WHERE run_id <= (SELECT run_id FROM added) - $8::bigint",
      {core::FormatRfc3339(run.started_at), core::FormatRfc3339(run.finished_at),
       run.ok ? "true" : "false", std::to_string(run.parts), std::to_string(run.rows),
       std::to_string(run.bytes),
       run.error.empty() ? std::optional<std::string>() : std::optional<std::string>(run.error),
       std::to_string(kKeptRuns)});
  if (!recorded) return recorded.error();
  return core::OkStatus();
}

}  // namespace dataplane::archiver
