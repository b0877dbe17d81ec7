#include "pg/pool.h"

#include <algorithm>

#include "core/log.h"

namespace dataplane::pg {

Pool::Lease::~Lease() {
  if (conn_) pool_->Release(std::move(conn_));
}

namespace {

metrics::Gauge& ConnectionsGauge(const metrics::Scope& metrics, std::string_view state) {
  return metrics
      .AddGauge("dataplane_db_pool_connections",
                "Database pool connections by state (idle, in_use, max).", {"state"})
      .WithLabels({state});
}

metrics::Counter& AcquireFailures(const metrics::Scope& metrics, std::string_view reason) {
  return metrics
      .AddCounter("dataplane_db_pool_acquire_failures_total",
                  "Requests that could not get a database connection, by reason.", {"reason"})
      .WithLabels({reason});
}

}  // namespace

Pool::Pool(PoolOptions options, const metrics::Scope& metrics)
    : options_(std::move(options)),
      idle_gauge_(ConnectionsGauge(metrics, "idle")),
      in_use_gauge_(ConnectionsGauge(metrics, "in_use")),
      max_gauge_(ConnectionsGauge(metrics, "max")),
      timeouts_(AcquireFailures(metrics, "timeout")),
      connect_failures_(AcquireFailures(metrics, "connect")) {
  if (options_.max_size < 1) options_.max_size = 1;
  if (options_.min_size > options_.max_size) options_.min_size = options_.max_size;
  std::lock_guard lock(mutex_);
  PublishStats();
}

core::Status Pool::Warm() {
  std::vector<Lease> leases;
  for (int i = 0; i < options_.min_size; ++i) {
    auto lease = TryAcquire();
    if (!lease) return lease.error();
    leases.push_back(std::move(*lease));
  }
  return core::OkStatus();
}

Pool::Lease Pool::Acquire(std::chrono::steady_clock::time_point deadline) {
  return core::ValueOrThrow(TryAcquire(deadline));
}

core::Result<Pool::Lease> Pool::TryAcquire(std::chrono::steady_clock::time_point caller_deadline) {
  std::unique_lock lock(mutex_);
  const auto deadline =
      std::min(std::chrono::steady_clock::now() + options_.acquire_timeout, caller_deadline);
  while (idle_.empty() && open_ >= options_.max_size) {
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.max_size) {
      timeouts_.Inc();
      return core::Error::Unavailable("all database connections are busy");
    }
  }
  if (!idle_.empty()) {
    auto conn = std::move(idle_.front());
    idle_.pop_front();
    PublishStats();
    return Lease(this, std::move(conn));
  }
  ++open_;  // reserve a slot, then connect without holding the lock
  lock.unlock();
  auto opened = Connection::Open(options_.connect);
  lock.lock();
  if (!opened) {
    --open_;
    available_.notify_one();
    connect_failures_.Inc();
    return opened.error();
  }
  PublishStats();
  return Lease(this, std::move(opened.value()));
}

void Pool::Release(std::unique_ptr<Connection> conn) {
  conn->ResetTransaction();
  const bool broken = conn->IsBroken();
  if (broken) conn.reset();  // close outside the idle list; a new one is opened on demand
  std::lock_guard lock(mutex_);
  if (broken) {
    --open_;
    // Every idle connection is suspect after one broke (e.g. the server restarted).
    open_ -= static_cast<int>(idle_.size());
    idle_.clear();
  } else {
    idle_.push_front(std::move(conn));  // LIFO keeps a warm working set
  }
  PublishStats();
  available_.notify_one();
}

Pool::Stats Pool::GetStats() const {
  std::lock_guard lock(mutex_);
  const int idle = static_cast<int>(idle_.size());
  return {idle, open_ - idle, options_.max_size};
}

void Pool::PublishStats() {
  const int idle = static_cast<int>(idle_.size());
  idle_gauge_.Set(idle);
  in_use_gauge_.Set(open_ - idle);
  max_gauge_.Set(options_.max_size);
}

}  // namespace dataplane::pg
