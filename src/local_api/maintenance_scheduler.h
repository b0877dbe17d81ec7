#pragma once
// The Local API's background maintenance: named tasks, each run every `interval` on one
// thread with a connection from the pool — partitions kept ahead (hourly), job statistics
// refreshed and alerts generated (every STATS_REFRESH_INTERVAL_S, default 60 s), aggregate and
// alert retention (hourly).
// A failed run is logged and counted, and the task runs again at its next tick; nothing the
// tasks do is needed for a 200 (the ingest writer creates a missing partition itself), so a
// database outage only delays them. Several Local APIs on one database may run the same tasks:
// the SQL functions behind them serialize or are idempotent.
//
// Metrics: dataplane_maintenance_runs_total{task,result="ok"|"error"},
// dataplane_maintenance_last_success_timestamp_seconds{task}.
// Thread-safety: RunNow() may be called from any thread, also while the scheduler runs.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "metrics/scope.h"
#include "pg/pool.h"

namespace dataplane::local_api {

struct MaintenanceTask {
  std::string name;
  std::chrono::seconds interval;
  std::function<void(pg::Connection&)> run;  // throws core::Failure on error
};

class MaintenanceScheduler {
 public:
  MaintenanceScheduler(pg::Pool& pool, const metrics::Scope& metrics,
                       std::vector<MaintenanceTask> tasks);
  ~MaintenanceScheduler();

  //! Runs the named task now, on the calling thread; its error, or kNotFound for an unknown name.
  core::Status RunNow(const std::string& name);
  //! Starts the thread; each task first runs one interval from now.
  void Start();
  //! Stops the thread after the task in progress, if any, finishes.
  void Stop();

 private:
  struct Scheduled {
    MaintenanceTask task;
    std::chrono::steady_clock::time_point due;
    // The task's metric children, looked up once.
    metrics::Counter* ok_runs;
    metrics::Counter* failed_runs;
    metrics::Gauge* last_success;
  };
  core::Status Run(const Scheduled& scheduled);
  void Loop();

  pg::Pool& pool_;
  std::vector<Scheduled> tasks_;  // only the scheduler thread changes `due`
  std::mutex mutex_;
  std::condition_variable wake_;  // guarded by mutex_
  bool stopping_ = false;         // guarded by mutex_
  std::thread thread_;
};

}  // namespace dataplane::local_api
