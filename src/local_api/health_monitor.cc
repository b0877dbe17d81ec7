#include "local_api/health_monitor.h"

namespace dataplane::local_api {

HealthMonitor::HealthMonitor(pg::ConnectOptions connect, std::chrono::milliseconds interval)
    : connect_(std::move(connect)), interval_(interval) {
  connect_.application_name = "dataplane-health";
}

HealthMonitor::~HealthMonitor() { Stop(); }

void HealthMonitor::Start() {
  ProbeNow();
  thread_ = std::thread([this] { Run(); });
}

void HealthMonitor::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

DatabaseHealth HealthMonitor::Get() const {
  std::lock_guard lock(mutex_);
  DatabaseHealth h = last_;
  const core::Micros stale_after =
      3 * std::chrono::duration_cast<std::chrono::microseconds>(interval_).count() +
      core::kMicrosPerSecond;
  if (h.reachable && core::NowMicros() - h.checked_at > stale_after) {
    h.reachable = false;
    h.error = "health probe has not completed recently";
  }
  return h;
}

DatabaseHealth HealthMonitor::ProbeNow() {
  const auto started = std::chrono::steady_clock::now();
  DatabaseHealth h;
  if (!conn_ || conn_->IsBroken()) {
    conn_.reset();
    auto opened = pg::Connection::Open(connect_);
    if (opened) {
      conn_ = std::move(opened.value());
    } else {
      h.error = opened.error().message;
    }
  }
  if (conn_) {
    h.reachable = conn_->Ping(std::chrono::milliseconds(1000));
    if (!h.reachable) {
      h.error = "database did not answer SELECT 1 within 1 s";
      conn_.reset();
    }
  }
  h.latency_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  h.checked_at = core::NowMicros();
  std::lock_guard lock(mutex_);
  last_ = h;
  return h;
}

void HealthMonitor::Run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    ProbeNow();
    lock.lock();
  }
}

}  // namespace dataplane::local_api
