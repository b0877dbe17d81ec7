#include "archiver/archive_restore.h"

#include <unistd.h>

#include <cstdio>

#include "archiver/archiver_run.h"
#include "archiver/fault_point.h"
#include "archiver/manifest.h"
#include "archiver/restore_rows.h"
#include "archiver/staged_file.h"
#include "archiver/table_columns.h"
#include "archiver/transaction.h"
#include "core/log.h"
#include "parquet/file_reader.h"
#include "parquet/random_access_source.h"
#include "pg/binary_copy.h"

namespace dataplane::archiver {
namespace {

// The parts of one day, fetched into local files that are deleted with this object.
class FetchedParts {
 public:
  FetchedParts() = default;
  FetchedParts(const FetchedParts&) = delete;
  FetchedParts& operator=(const FetchedParts&) = delete;
  ~FetchedParts() {
    for (const std::string& path : paths_) std::remove(path.c_str());
  }
  void Add(std::string path) { paths_.push_back(std::move(path)); }
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  std::vector<std::string> paths_;
};

core::Error Mismatch(const ManifestPart& part, const std::string& what) {
  return {core::ErrorKind::kInternal,
          "archive_mismatch",
          "the archived object " + part.key + " is not the one its manifest row records (" + what +
              "); nothing of its day was restored",
          {}};
}

core::Status CheckStores(const std::vector<ManifestPart>& parts, const std::string& store) {
  for (const ManifestPart& part : parts) {
    if (part.store != store) {
      return core::Error::Invalid("other_store", "store",
                                  "the part " + part.key + " is archived in " + part.store +
                                      ", not in the configured store " + store);
    }
  }
  return core::OkStatus();
}

core::Status FetchPart(ObjectStore& store, const ManifestPart& part, const std::string& path) {
  if (core::Status fetched = store.Fetch(part.key, path); !fetched) return fetched;
  auto hashed = HashFile(path);
  if (!hashed) return hashed.error();
  if (hashed->bytes != part.bytes) {
    return Mismatch(
        part, std::to_string(hashed->bytes) + " bytes, recorded " + std::to_string(part.bytes));
  }
  if (hashed->sha256_hex != part.sha256_hex) return Mismatch(part, "its SHA-256 differs");
  return core::OkStatus();
}

core::Result<std::unique_ptr<FetchedParts>> FetchDay(ObjectStore& store,
                                                     const std::vector<ManifestPart>& parts,
                                                     const std::string& staging_dir) {
  auto fetched = std::make_unique<FetchedParts>();
  for (const ManifestPart& part : parts) {
    std::string path = staging_dir + "/dataplane-restore-" + std::to_string(::getpid()) + "-" +
                       std::to_string(fetched->paths().size()) + ".parquet";
    fetched->Add(path);
    if (core::Status ok = FetchPart(store, part, path); !ok) return ok.error();
  }
  return fetched;
}

// COPYs every row of one fetched part into restore_rows; its row count.
core::Result<std::uint64_t> LoadPart(pg::Connection& conn, const TableLayout& layout,
                                     const ManifestPart& part, const std::string& path) {
  auto source = parquet::FileSource::Open(path);
  if (!source) return source.error();
  auto reader = parquet::FileReader::Open(**source);
  if (!reader) return Mismatch(part, reader.error().message);
  if (static_cast<std::uint64_t>(reader->num_rows()) != part.rows) {
    return Mismatch(
        part, std::to_string(reader->num_rows()) + " rows, recorded " + std::to_string(part.rows));
  }
  auto matched = MatchFileColumns(layout, reader->columns());
  if (!matched) return matched.error();
  const std::string copy =
      "COPY restore_rows (" + SelectList(layout) + ") FROM STDIN (FORMAT binary)";
  for (int g = 0; g < reader->num_row_groups(); ++g) {
    auto group = reader->ReadRowGroup(g);
    if (!group) return Mismatch(part, group.error().message);
    pg::BinaryCopy rows;
    if (core::Status built = AppendRestoredRows(layout, *matched, *group, rows); !built) {
      return built.error();
    }
    if (core::Status copied = conn.TryCopyIn(copy, rows.Take()); !copied) return copied.error();
  }
  return part.rows;
}

// The rows of restore_rows that `table` does not hold, inserted; how many.
core::Result<std::uint64_t> InsertMissing(pg::Connection& conn, const ArchivedTable& table,
                                          const TableLayout& layout, ArchiveDay day) {
  const std::string name(table.name);
  const std::string time(table.time_column);
  std::string same;
  for (std::string_view column : table.identity_columns) {
    same += " AND h." + QuoteIdentifier(column) + " = r." + QuoteIdentifier(column);
  }
  std::string select;
  for (const TableColumn& column : layout.columns) {
    select += (select.empty() ? "r." : ", r.") + QuoteIdentifier(column.name);
  }
  auto inserted = conn.TryExec(
      "WITH put AS (INSERT INTO " + name + " (" + SelectList(layout) + ") SELECT " + select +
          " FROM restore_rows r WHERE NOT EXISTS (SELECT 1 FROM " + name + " h WHERE h." + time +
          " >= $1::timestamptz AND h." + time + " < $2::timestamptz" + same +
          ") ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*) FROM put",
      {core::FormatPgTimestamp(day.Start()), core::FormatPgTimestamp(day.End())});
  if (!inserted) return inserted.error();
  return static_cast<std::uint64_t>(inserted->Int64(0, 0));
}

core::Status Exec(pg::Connection& conn, const std::string& sql, const pg::Params& params = {}) {
  auto ran = conn.TryExec(sql, params);
  if (!ran) return ran.error();
  return core::OkStatus();
}

// Step 2: one transaction that puts the day's rows back and forgets its parts.
core::Result<RestoredDay> LoadDay(pg::Connection& conn, const RestoreRequest& request,
                                  ArchiveDay day, const std::vector<ManifestPart>& parts,
                                  const FetchedParts& fetched) {
  const ArchivedTable& table = *request.table;
  auto layout = ReadTableLayout(conn, table);
  if (!layout) return layout.error();
  Transaction transaction(conn);
  if (core::Status begun = transaction.Begin(request.lock_timeout); !begun) return begun.error();
  if (core::Status made = Exec(conn, "SELECT ensure_partitions($1::date, $1::date)", {day.Text()});
      !made) {
    return made.error();
  }
  if (core::Status made = Exec(conn, "CREATE TEMP TABLE restore_rows (LIKE " +
                                         std::string(table.name) + ") ON COMMIT DROP");
      !made) {
    return made.error();
  }
  RestoredDay restored{day, static_cast<int>(parts.size()), 0, 0};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto rows = LoadPart(conn, *layout, parts[i], fetched.paths()[i]);
    if (!rows) return rows.error();
    restored.archived_rows += *rows;
  }
  auto inserted = InsertMissing(conn, table, *layout, day);
  if (!inserted) return inserted.error();
  restored.inserted_rows = *inserted;
  if (core::Status forgot = DeleteManifestDay(conn, table.name, day); !forgot) {
    return forgot.error();
  }
  if (core::Status held = HoldDay(conn, table.name, day, request.hold); !held) {
    return held.error();
  }
  StopIfAsked("restore_before_commit");
  if (core::Status committed = transaction.Commit(); !committed) return committed.error();
  return restored;
}

// Step 3, after the commit: the objects have no manifest row any more.
void DeleteObjects(ObjectStore& store, const std::vector<ManifestPart>& parts) {
  for (const ManifestPart& part : parts) {
    if (core::Status deleted = store.Delete(part.key); !deleted) {
      core::LogWarn("archiver restore: a restored object is left in the store",
                    {{"key", part.key}, {"error", deleted.error().message}});
    }
  }
}

core::Result<RestoredDay> RestoreDay(pg::Connection& conn, ObjectStore& store,
                                     const RestoreRequest& request, ArchiveDay day) {
  auto parts = DayParts(conn, request.table->name, day);
  if (!parts) return parts.error();
  if (core::Status same = CheckStores(*parts, store.Location()); !same) return same.error();
  auto fetched = FetchDay(store, *parts, request.staging_dir);
  if (!fetched) return fetched.error();
  StopIfAsked("restore_after_fetch");
  auto restored = LoadDay(conn, request, day, *parts, **fetched);
  if (!restored) return restored.error();
  StopIfAsked("restore_after_commit");
  DeleteObjects(store, *parts);
  core::LogInfo("archiver restore: day restored",
                {{"table", std::string(request.table->name)},
                 {"day", day.Text()},
                 {"parts", restored->parts},
                 {"archived_rows", static_cast<std::int64_t>(restored->archived_rows)},
                 {"inserted_rows", static_cast<std::int64_t>(restored->inserted_rows)}});
  return restored;
}

core::Result<RestoreSummary> RestoreLocked(pg::Connection& conn, ObjectStore& store,
                                           const RestoreRequest& request) {
  auto days = ArchivedDays(conn, request.table->name, request.from, request.to);
  if (!days) return days.error();
  RestoreSummary summary;
  for (ArchiveDay day : *days) {
    auto restored = RestoreDay(conn, store, request, day);
    if (!restored) return restored.error();
    summary.archived_rows += restored->archived_rows;
    summary.inserted_rows += restored->inserted_rows;
    summary.days.push_back(*restored);
  }
  return summary;
}

}  // namespace

core::Result<RestoreSummary> RestoreArchive(pg::Connection& conn, ObjectStore& store,
                                            const RestoreRequest& request) {
  auto locked = TryLockArchiver(conn);
  if (!locked) return locked.error();
  if (!*locked) {
    return core::Error::Unavailable(
        "another archiver run or restore holds the archiver lock; try again when it is done");
  }
  auto summary = RestoreLocked(conn, store, request);
  UnlockArchiver(conn);
  return summary;
}

}  // namespace dataplane::archiver
