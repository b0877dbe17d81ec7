#include "archiver/day_removal.h"

#include <thread>

#include "archiver/manifest.h"
#include "archiver/transaction.h"
#include "core/log.h"
#include "pg/sql_failure.h"

namespace dataplane::archiver {
namespace {

core::Result<std::int64_t> CountOf(pg::Connection& conn, const std::string& sql,
                                   const pg::Params& params) {
  auto counted = conn.TryExec(sql, params);
  if (!counted) return counted.error();
  return counted->Int64(0, 0);
}

core::Status Run(pg::Connection& conn, const std::string& sql) {
  auto ran = conn.TryExec(sql);
  if (!ran) return ran.error();
  return core::OkStatus();
}

core::Status LockEach(pg::Connection& conn, const std::vector<std::string>& relations,
                      std::string_view mode) {
  for (const std::string& relation : relations) {
    if (core::Status locked =
            Run(conn, "LOCK TABLE " + relation + " IN " + std::string(mode) + " MODE");
        !locked) {
      return locked;
    }
  }
  return core::OkStatus();
}

// Inside the open transaction: lock, recheck, drop. kChanged when the count differs.
core::Result<RemovalOutcome> RemoveEventDay(pg::Connection& conn, const RemovalRequest& request) {
  const pg::Params range = LeavingRowsParams(request.day, request.cutoff);
  const auto exported = static_cast<std::int64_t>(request.exported->rows);
  if (request.backend == Backend::kPostgres) {
    const std::string partition = PartitionName("event", request.day);
    if (core::Status locked = LockEach(conn, {"event", partition}, "ACCESS EXCLUSIVE"); !locked) {
      return locked.error();
    }
    auto count = CountOf(conn, "SELECT count(*) FROM " + partition, {});
    if (!count) return count.error();
    if (*count != exported) return RemovalOutcome::kChanged;
    auto recorded = InsertManifestRows(conn, "event", request.day, request.store, request.codec,
                                       request.exported->parts);
    if (!recorded) return recorded.error();
    if (core::Status dropped = Run(conn, "DROP TABLE " + partition); !dropped) {
      return dropped.error();
    }
    return RemovalOutcome::kRemoved;
  }
  auto chunks = DayChunks(conn, "event", request.day);
  if (!chunks) return chunks.error();
  if (core::Status locked = LockEach(conn, *chunks, "SHARE ROW EXCLUSIVE"); !locked) {
    return locked.error();
  }
  auto count = CountOf(
      conn, "SELECT count(*) FROM event WHERE " + LeavingRows(*FindArchivedTable("event")), range);
  if (!count) return count.error();
  if (*count != exported) return RemovalOutcome::kChanged;
  auto recorded = InsertManifestRows(conn, "event", request.day, request.store, request.codec,
                                     request.exported->parts);
  if (!recorded) return recorded.error();
  auto dropped = conn.TryExec(
      "SELECT count(*) FROM drop_chunks('event', older_than => $2::timestamptz,"
      " newer_than => $1::timestamptz)",
      {range[0], range[1]});
  if (!dropped) return dropped.error();
  auto rest = conn.TryExec("DELETE FROM event WHERE at >= $1::timestamptz AND at < $2::timestamptz",
                           {range[0], range[1]});
  if (!rest) return rest.error();
  return RemovalOutcome::kRemoved;
}

core::Result<RemovalOutcome> RemoveStateDay(pg::Connection& conn, const RemovalRequest& request) {
  const std::string table(request.table->name);
  auto deleted =
      conn.TryExec("WITH gone AS (DELETE FROM " + table + " WHERE " + LeavingRows(*request.table) +
                       " RETURNING event_count)"
                       " SELECT count(*), coalesce(sum(event_count), 0) FROM gone",
                   LeavingRowsParams(request.day, request.cutoff));
  if (!deleted) return deleted.error();
  if (deleted->Int64(0, 0) != static_cast<std::int64_t>(request.exported->rows) ||
      deleted->Int64(0, 1) != request.exported->event_count_sum) {
    return RemovalOutcome::kChanged;
  }
  auto recorded = InsertManifestRows(conn, table, request.day, request.store, request.codec,
                                     request.exported->parts);
  if (!recorded) return recorded.error();
  return RemovalOutcome::kRemoved;
}

core::Result<RemovalOutcome> RemoveOnce(pg::Connection& conn, const RemovalRequest& request,
                                        const RemovalSettings& settings) {
  Transaction transaction(conn);
  if (core::Status begun = transaction.Begin(settings.lock_timeout); !begun) {
    return begun.error();
  }
  auto outcome = request.table->rule == RowRule::kWholeDay ? RemoveEventDay(conn, request)
                                                           : RemoveStateDay(conn, request);
  if (!outcome || *outcome == RemovalOutcome::kChanged) return outcome;
  if (core::Status committed = transaction.Commit(); !committed) return committed.error();
  return outcome;
}

bool Retryable(const core::Error& error) {
  return pg::Is(error, pg::SqlFailure::kDeadlock) ||
         pg::Is(error, pg::SqlFailure::kLockNotAvailable);
}

}  // namespace

std::string PartitionName(std::string_view table, ArchiveDay day) {
  std::string digits = day.Text();
  std::erase(digits, '-');
  return std::string(table) + "_p" + digits;
}

core::Result<std::vector<std::string>> DayChunks(pg::Connection& conn, std::string_view table,
                                                 ArchiveDay day) {
  auto rows = conn.TryExec(
      "SELECT format('%I.%I', chunk_schema, chunk_name) FROM timescaledb_information.chunks"
      " WHERE hypertable_name = $1 AND range_start < $3::timestamptz"
      " AND range_end > $2::timestamptz ORDER BY range_start",
      {std::string(table), core::FormatPgTimestamp(day.Start()),
       core::FormatPgTimestamp(day.End())});
  if (!rows) return rows.error();
  std::vector<std::string> chunks;
  for (int r = 0; r < rows->Rows(); ++r) chunks.emplace_back(rows->Text(r, 0));
  return chunks;
}

core::Result<RemovalOutcome> RemoveArchivedRows(pg::Connection& conn, const RemovalRequest& request,
                                                const RemovalSettings& settings) {
  std::chrono::milliseconds backoff = settings.first_backoff;
  for (int attempt = 1;; ++attempt) {
    auto outcome = RemoveOnce(conn, request, settings);
    if (outcome || !Retryable(outcome.error()) || attempt >= settings.attempts) return outcome;
    core::LogWarn("archiver: removal waits for locks, retrying",
                  {{"table", std::string(request.table->name)},
                   {"day", request.day.Text()},
                   {"error", outcome.error().message}});
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
}

core::Result<bool> DropEmptyDay(pg::Connection& conn, const ArchivedTable& table, Backend backend,
                                ArchiveDay day, const RemovalSettings& settings) {
  Transaction transaction(conn);
  if (core::Status begun = transaction.Begin(settings.lock_timeout); !begun) {
    return begun.error();
  }
  const std::string name(table.name);
  std::vector<std::string> relations;
  if (backend == Backend::kPostgres) {
    auto exists = CountOf(conn, "SELECT count(*) FROM pg_class WHERE oid = to_regclass($1)",
                          {PartitionName(name, day)});
    if (!exists) return exists.error();
    if (*exists == 0) return false;
    relations = {name, PartitionName(name, day)};
  } else {
    auto chunks = DayChunks(conn, name, day);
    if (!chunks) return chunks.error();
    if (chunks->empty()) return false;
    relations = std::move(*chunks);
  }
  auto locked = LockEach(conn, relations, "ACCESS EXCLUSIVE");
  if (!locked) {
    if (Retryable(locked.error())) return false;
    return locked.error();
  }
  const pg::Params range = {core::FormatPgTimestamp(day.Start()),
                            core::FormatPgTimestamp(day.End())};
  auto rows = CountOf(conn,
                      "SELECT count(*) FROM (SELECT 1 FROM " + name + " WHERE " +
                          std::string(table.time_column) + " >= $1::timestamptz AND " +
                          std::string(table.time_column) + " < $2::timestamptz LIMIT 1) AS any_row",
                      range);
  if (!rows) return rows.error();
  if (*rows != 0) return false;
  auto dropped =
      backend == Backend::kPostgres
          ? conn.TryExec("DROP TABLE " + relations.back())
          : conn.TryExec("SELECT count(*) FROM drop_chunks('" + name +
                             "', older_than => $2::timestamptz, newer_than => $1::timestamptz)",
                         range);
  if (!dropped) return dropped.error();
  if (core::Status committed = transaction.Commit(); !committed) return committed.error();
  return true;
}

}  // namespace dataplane::archiver
