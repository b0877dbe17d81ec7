#include "archiver/archiver_run.h"

#include "archiver/day_planner.h"
#include "archiver/fault_point.h"
#include "archiver/manifest.h"
#include "archiver/object_key.h"
#include "archiver/table_columns.h"
#include "core/log.h"
#include "pg/database_backend.h"

namespace dataplane::archiver {
namespace {

constexpr int kExportsPerDay = 2;

class Run {
 public:
  Run(pg::Connection& conn, ObjectStore& store, const ArchiverSettings& settings, Backend backend,
      core::Micros cutoff)
      : conn_(conn), store_(store), settings_(settings), backend_(backend) {
    summary_.cutoff = cutoff;
  }

  core::Status ArchiveTable(const ArchivedTable& table) {
    auto layout = ReadTableLayout(conn_, table);
    if (!layout) return layout.error();
    auto days = PlanDays(conn_, table, backend_, summary_.cutoff);
    if (!days) return days.error();
    for (ArchiveDay day : *days) {
      if (core::Status archived = ArchiveDayOf(table, *layout, day); !archived) return archived;
    }
    return core::OkStatus();
  }

  const RunSummary& summary() const { return summary_; }

 private:
  core::Status ArchiveDayOf(const ArchivedTable& table, const TableLayout& layout, ArchiveDay day) {
    for (int attempt = 1; attempt <= kExportsPerDay; ++attempt) {
      auto outcome = ExportStoreCommit(table, layout, day);
      if (!outcome) return outcome.error();
      if (*outcome == RemovalOutcome::kRemoved) {
        if (table.rule == RowRule::kTerminalQuiet) DropIfEmpty(table, day);
        return core::OkStatus();
      }
      core::LogInfo("archiver: rows changed during the export; exporting the day again",
                    {{"table", std::string(table.name)}, {"day", day.Text()}});
    }
    ++summary_.changed;
    return core::OkStatus();
  }

  core::Result<RemovalOutcome> ExportStoreCommit(const ArchivedTable& table,
                                                 const TableLayout& layout, ArchiveDay day) {
    auto first_parts = NextParts(conn_, table.name, day);
    if (!first_parts) return first_parts.error();
    auto exported = ExportDay(ExportConnections(), table, layout, day, summary_.cutoff,
                              *first_parts, store_, settings_.export_settings);
    if (!exported) return exported.error();
    StagedParts staged(exported->parts);
    StopIfAsked("after_export");
    if (exported->parts.empty()) return RemovalOutcome::kRemoved;
    for (const ExportedPart& part : exported->parts) {
      if (core::Status put = store_.Put(part.key, part.file); !put) return put.error();
    }
    StopIfAsked("after_upload");
    for (const ExportedPart& part : exported->parts) {
      if (core::Status verified = store_.Verify(part.key, part.file); !verified) {
        return verified.error();
      }
    }
    StopIfAsked("after_verify");
    const RemovalRequest request{
        &table,          backend_,          day,
        summary_.cutoff, store_.Location(), CodecName(settings_.export_settings.codec),
        &*exported};
    auto outcome = RemoveArchivedRows(conn_, request, settings_.removal);
    if (!outcome) return outcome.error();
    StopIfAsked("after_commit");
    if (*outcome == RemovalOutcome::kRemoved) Count(table, day, *exported);
    if (core::Status swept = SweepOrphans(table, day, *exported); !swept) return swept.error();
    return outcome;
  }

  // The run's connection and the extra sessions of the export's streams, opened at the first
  // export. When the server refuses some (max_connections), the export runs with fewer streams.
  std::vector<pg::Connection*> ExportConnections() {
    if (!streams_opened_) {
      streams_opened_ = true;
      for (int i = 1; i < settings_.export_settings.streams; ++i) {
        auto opened = conn_.OpenSibling();
        if (!opened) {
          core::LogWarn("archiver: exporting with fewer streams; a connection was refused",
                        {{"streams", i}, {"error", opened.error().message}});
          break;
        }
        stream_conns_.push_back(std::move(*opened));
      }
    }
    std::vector<pg::Connection*> conns{&conn_};
    for (const auto& conn : stream_conns_) conns.push_back(conn.get());
    return conns;
  }

  // Deletes the staged files when the day's steps end, however they end.
  class StagedParts {
   public:
    explicit StagedParts(const std::vector<ExportedPart>& parts) : parts_(parts) {}
    ~StagedParts() { DiscardStaged(parts_); }

   private:
    const std::vector<ExportedPart>& parts_;
  };

  void Count(const ArchivedTable& table, ArchiveDay day, const DayExport& exported) {
    TableTotals& totals = summary_.tables[std::string(table.name)];
    std::uint64_t bytes = 0;
    for (const ExportedPart& part : exported.parts) bytes += part.file.bytes;
    ++summary_.days;
    summary_.parts += static_cast<int>(exported.parts.size());
    summary_.rows += exported.rows;
    summary_.bytes += bytes;
    totals.parts += static_cast<int>(exported.parts.size());
    totals.rows += exported.rows;
    totals.bytes += bytes;
    core::LogInfo("archiver: day archived", {{"table", std::string(table.name)},
                                             {"day", day.Text()},
                                             {"parts", exported.parts.size()},
                                             {"rows", exported.rows},
                                             {"bytes", bytes}});
  }

  // Objects in the folders this day wrote to that no manifest row names: a crashed run's
  // uploads, or this run's when the rows changed before the commit.
  core::Status SweepOrphans(const ArchivedTable& table, ArchiveDay day, const DayExport& exported) {
    auto kept = ManifestKeys(conn_, table.name, day, store_.Location());
    if (!kept) return kept.error();
    for (const ExportedPart& part : exported.parts) {
      const std::string folder =
          DayFolder(settings_.export_settings.prefix, part.site_id, table.name, day);
      auto keys = store_.ListFolder(folder);
      if (!keys) return keys.error();
      for (const std::string& key : *keys) {
        if (kept->count(key) != 0) continue;
        if (core::Status deleted = store_.Delete(key); !deleted) return deleted.error();
        core::LogInfo("archiver: deleted an object no manifest row names", {{"key", key}});
      }
    }
    return core::OkStatus();
  }

  void DropIfEmpty(const ArchivedTable& table, ArchiveDay day) {
    auto dropped = DropEmptyDay(conn_, table, backend_, day, settings_.removal);
    if (!dropped) {
      core::LogWarn("archiver: could not drop an empty day; a later run tries again",
                    {{"table", std::string(table.name)},
                     {"day", day.Text()},
                     {"error", dropped.error().message}});
    }
  }

  pg::Connection& conn_;
  bool streams_opened_ = false;
  std::vector<std::unique_ptr<pg::Connection>> stream_conns_;
  ObjectStore& store_;
  const ArchiverSettings& settings_;
  Backend backend_;
  RunSummary summary_;
};

void Record(pg::Connection& conn, core::Micros started, const RunSummary& summary,
            const core::Status& status) {
  RunRecord record{started,
                   core::NowMicros(),
                   status.ok(),
                   summary.parts,
                   summary.rows,
                   summary.bytes,
                   status.ok() ? "" : status.error().message};
  if (core::Status recorded = RecordRun(conn, record); !recorded) {
    core::LogWarn("archiver: could not record the run", {{"error", recorded.error().message}});
  }
}

}  // namespace

core::Result<bool> TryLockArchiver(pg::Connection& conn) {
  auto locked =
      conn.TryExec("SELECT pg_try_advisory_lock($1::bigint)", {std::to_string(kArchiverLockKey)});
  if (!locked) return locked.error();
  return locked->Bool(0, 0);
}

void UnlockArchiver(pg::Connection& conn) {
  (void)conn.TryExec("SELECT pg_advisory_unlock($1::bigint)", {std::to_string(kArchiverLockKey)});
}

core::Result<Backend> ReadBackend(pg::Connection& conn) {
  auto backend = pg::ReadDatabaseBackend(conn);
  if (!backend) return backend.error();
  return backend->name == "timescaledb" ? Backend::kTimescaleDb : Backend::kPostgres;
}

core::Result<RunSummary> RunArchiver(pg::Connection& conn, ObjectStore& store,
                                     const ArchiverSettings& settings, core::Micros now) {
  auto locked = TryLockArchiver(conn);
  if (!locked) return locked.error();
  if (!*locked) {
    RunSummary skipped;
    skipped.skipped = true;
    return skipped;
  }
  const core::Micros started = core::NowMicros();
  const core::Micros cutoff =
      now - std::chrono::duration_cast<std::chrono::microseconds>(settings.archive_after).count();
  core::Status status = core::OkStatus();
  auto backend = ReadBackend(conn);
  std::optional<Run> run;
  if (!backend) {
    status = backend.error();
  } else {
    run.emplace(conn, store, settings, *backend, cutoff);
    for (const ArchivedTable& table : ArchivedTables()) {
      status = run->ArchiveTable(table);
      if (!status) break;
    }
  }
  RunSummary summary;
  summary.cutoff = cutoff;
  if (run) summary = run->summary();
  Record(conn, started, summary, status);
  UnlockArchiver(conn);
  if (!status) return status.error();
  return summary;
}

}  // namespace dataplane::archiver
