#include "archiver/archiver_metrics.h"

#include "core/time.h"

namespace dataplane::archiver {

ArchiverMetrics::ArchiverMetrics(metrics::Scope scope)
    : runs_(scope.AddCounter(
          "dataplane_archiver_runs_total",
          "Archiver runs, by result: ok, failed, skipped (another held the lock)", {"result"})),
      rows_(scope.AddCounter("dataplane_archiver_rows_total",
                             "Rows moved from the hot tables to the archive", {"table"})),
      bytes_(scope.AddCounter("dataplane_archiver_bytes_total",
                              "Bytes of the Parquet objects the archiver stored", {"table"})),
      objects_(scope.AddCounter("dataplane_archiver_objects_total",
                                "Parquet objects the archiver stored", {"table"})),
      last_success_(scope.AddGauge("dataplane_archiver_last_success_timestamp_seconds",
                                   "Unix time the last successful archiver run ended")),
      last_duration_(scope.AddGauge("dataplane_archiver_last_run_duration_seconds",
                                    "Duration of the last archiver run")),
      backlog_(scope.AddGauge("dataplane_archiver_backlog",
                              "Days past ARCHIVE_AFTER_HOURS not archived yet", {"table"})),
      backlog_oldest_(scope.AddGauge(
          "dataplane_archiver_backlog_oldest_day_timestamp_seconds",
          "Unix time of the start of the oldest day not archived yet; 0 when none", {"table"})) {
  for (const ArchivedTable& table : ArchivedTables()) {
    const std::string name(table.name);
    rows_.WithLabels({name});
    bytes_.WithLabels({name});
    objects_.WithLabels({name});
  }
  for (const char* result : {"ok", "failed", "skipped"}) runs_.WithLabels({result});
}

void ArchiverMetrics::RecordRun(const core::Result<RunSummary>& run, double duration_seconds) {
  last_duration_.WithLabels({}).Set(duration_seconds);
  if (!run) {
    runs_.WithLabels({"failed"}).Inc();
    return;
  }
  if (run->skipped) {
    runs_.WithLabels({"skipped"}).Inc();
    return;
  }
  runs_.WithLabels({"ok"}).Inc();
  last_success_.WithLabels({}).Set(static_cast<double>(core::NowMicros()) / 1e6);
  for (const auto& [table, totals] : run->tables) {
    rows_.WithLabels({table}).Inc(static_cast<double>(totals.rows));
    bytes_.WithLabels({table}).Inc(static_cast<double>(totals.bytes));
    objects_.WithLabels({table}).Inc(totals.parts);
  }
}

void ArchiverMetrics::RecordBacklog(const std::string& table, const std::vector<ArchiveDay>& days) {
  backlog_.WithLabels({table}).Set(static_cast<double>(days.size()));
  backlog_oldest_.WithLabels({table}).Set(
      days.empty() ? 0.0 : static_cast<double>(days.front().Start()) / 1e6);
}

}  // namespace dataplane::archiver
