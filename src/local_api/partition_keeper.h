#pragma once
// Keeps the daily partitions of event, job and subjob ahead of time on plain PostgreSQL:
// calls ensure_partitions(today - MAX_EVENT_AGE_DAYS - 1, today + 7) at start and every
// hour (a no-op on TimescaleDB). Failures are logged and retried at the next tick; the
// ingest writer also creates a missing partition on demand, so a missed tick loses nothing.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "pg/pool.h"

namespace dataplane::local_api {

class PartitionKeeper {
 public:
  PartitionKeeper(pg::Pool& pool, int max_event_age_days,
                  std::chrono::seconds interval = std::chrono::hours(1));
  ~PartitionKeeper();
  core::Status RunOnce();
  void Start();
  void Stop();

 private:
  pg::Pool& pool_;
  int max_event_age_days_;
  std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;  // guarded by mutex_
  bool stopping_ = false;         // guarded by mutex_
  std::thread thread_;
};

}  // namespace dataplane::local_api
