#pragma once
// The archiver's Prometheus metrics, registered in the process's registry (the standalone
// `dataplane archiver` serves them on ARCHIVER_METRICS_PORT, `dataplane up` on the Local API's
// /metrics with every other service):
//   dataplane_archiver_runs_total{result}                      ok | failed | skipped
//   dataplane_archiver_rows_total{table}                       rows moved to the archive
//   dataplane_archiver_bytes_total{table}                      bytes of the objects written
//   dataplane_archiver_objects_total{table}                    objects written
//   dataplane_archiver_last_success_timestamp_seconds          end of the last successful run
//   dataplane_archiver_last_run_duration_seconds               duration of the last run
//   dataplane_archiver_backlog{table}                     days due that are not archived
//   dataplane_archiver_backlog_oldest_day_timestamp_seconds{table}   start of the oldest of
//                                                              them; 0 when there is none
// Thread-safe (the registry's atomics).
#include <map>
#include <string>
#include <vector>

#include "archiver/archive_day.h"
#include "archiver/archiver_run.h"
#include "metrics/scope.h"

namespace dataplane::archiver {

class ArchiverMetrics {
 public:
  explicit ArchiverMetrics(metrics::Scope scope);

  void RecordRun(const core::Result<RunSummary>& run, double duration_seconds);
  //! The days each table still has due (day_planner.h), oldest first.
  void RecordBacklog(const std::string& table, const std::vector<ArchiveDay>& days);

 private:
  metrics::ScopedFamily<metrics::Counter> runs_;
  metrics::ScopedFamily<metrics::Counter> rows_;
  metrics::ScopedFamily<metrics::Counter> bytes_;
  metrics::ScopedFamily<metrics::Counter> objects_;
  metrics::ScopedFamily<metrics::Gauge> last_success_;
  metrics::ScopedFamily<metrics::Gauge> last_duration_;
  metrics::ScopedFamily<metrics::Gauge> backlog_;
  metrics::ScopedFamily<metrics::Gauge> backlog_oldest_;
};

}  // namespace dataplane::archiver
