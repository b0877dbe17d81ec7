#pragma once
// Probes the database in the background (a dedicated connection, "SELECT 1" with a 1 s
// deadline, every `interval`) so that /v1/healthz answers instantly from the last probe and
// never hangs on a dead or frozen database. A probe older than 3 intervals counts as failed.
// Thread-safe.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/time.h"
#include "pg/connection.h"

namespace dataplane::local_api {

struct DatabaseHealth {
  bool reachable = false;
  std::string error;  // empty when reachable
  core::Micros checked_at = 0;
  double latency_ms = 0;
};

class HealthMonitor {
 public:
  HealthMonitor(pg::ConnectOptions connect, std::chrono::milliseconds interval);
  ~HealthMonitor();
  void Start();
  void Stop();
  DatabaseHealth Get() const;
  //! Probes now, on the caller's thread, and records the result.
  DatabaseHealth ProbeNow();

 private:
  void Run();

  pg::ConnectOptions connect_;
  std::chrono::milliseconds interval_;
  std::unique_ptr<pg::Connection> conn_;  // used only by the probing thread / ProbeNow caller
  mutable std::mutex mutex_;
  std::condition_variable wake_;  // guarded by mutex_
  DatabaseHealth last_;           // guarded by mutex_
  bool stopping_ = false;         // guarded by mutex_
  std::thread thread_;
};

}  // namespace dataplane::local_api
