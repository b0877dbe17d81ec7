#pragma once
// A bounded pool of PostgreSQL connections (DB_POOL_MIN_SIZE .. DB_POOL_MAX_SIZE).
//
// Acquire() hands out an idle connection, opens a new one while under max_size, or waits up
// to acquire_timeout (and never past the caller's deadline); past it, or when the database
// cannot be reached, it throws core::Failure of kind kUnavailable (the HTTP layer answers
// 503 + Retry-After). A lease
// returns its connection on destruction; a broken connection (server restarted, network
// lost) is closed instead and replaced on demand, so the pool heals after an outage.
// Thread-safe.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>

#include "metrics/scope.h"
#include "pg/connection.h"

namespace dataplane::pg {

struct PoolOptions {
  ConnectOptions connect;
  int min_size = 2;
  int max_size = 10;
  std::chrono::milliseconds acquire_timeout{2000};
};

class Pool {
 public:
  class Lease {
   public:
    Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  struct Stats {
    int idle = 0;
    int in_use = 0;
    int max = 0;
  };

  //! Metrics (through `metrics`, whose labels tell two pools apart):
  //! dataplane_db_pool_connections{state="idle"|"in_use"|"max"},
  //! dataplane_db_pool_acquire_failures_total{reason="timeout"|"connect"}.
  Pool(PoolOptions options, const metrics::Scope& metrics);

  //! Opens min_size connections; kUnavailable if the database cannot be reached.
  core::Status Warm();
  //! A connection, or kUnavailable when none can be had in time: within acquire_timeout,
  //! and before `deadline`.
  core::Result<Lease> TryAcquire(std::chrono::steady_clock::time_point deadline =
                                     std::chrono::steady_clock::time_point::max());
  //! TryAcquire for a request or task that cannot go on without one: throws core::Failure.
  Lease Acquire(std::chrono::steady_clock::time_point deadline =
                    std::chrono::steady_clock::time_point::max());
  Stats GetStats() const;
  const PoolOptions& options() const { return options_; }

 private:
  void Release(std::unique_ptr<Connection> conn);
  void PublishStats();  // requires mutex_

  PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;             // guarded by mutex_
  std::deque<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
  int open_ = 0;                                  // guarded by mutex_: idle + in use + opening
  // The metric children, looked up once.
  metrics::Gauge& idle_gauge_;
  metrics::Gauge& in_use_gauge_;
  metrics::Gauge& max_gauge_;
  metrics::Counter& timeouts_;
  metrics::Counter& connect_failures_;
};

}  // namespace dataplane::pg
