#include "local_api/maintenance_scheduler.h"

#include <algorithm>

#include "core/log.h"

namespace dataplane::local_api {
namespace {

double UnixSecondsNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

MaintenanceScheduler::MaintenanceScheduler(pg::Pool& pool, metrics::MetricsRegistry& metrics,
                                           std::vector<MaintenanceTask> tasks)
    : pool_(pool),
      runs_(metrics.AddCounter("dataplane_maintenance_runs_total",
                               "Background maintenance task runs, by task and result.",
                               {"task", "result"})),
      last_success_(metrics.AddGauge(
          "dataplane_maintenance_last_success_timestamp_seconds",
          "Unix time of the last successful run of each maintenance task.", {"task"})) {
  for (MaintenanceTask& task : tasks) tasks_.push_back({std::move(task), {}});
}

MaintenanceScheduler::~MaintenanceScheduler() { Stop(); }

core::Status MaintenanceScheduler::Run(const MaintenanceTask& task) {
  try {
    pg::Pool::Lease conn = pool_.Acquire();
    task.run(*conn);
  } catch (const core::Failure& failure) {
    runs_.WithLabels({task.name, "error"}).Inc();
    return failure.error();
  }
  runs_.WithLabels({task.name, "ok"}).Inc();
  last_success_.WithLabels({task.name}).Set(UnixSecondsNow());
  return core::OkStatus();
}

core::Status MaintenanceScheduler::RunNow(const std::string& name) {
  for (const Scheduled& s : tasks_) {
    if (s.task.name == name) return Run(s.task);
  }
  return core::Error{core::ErrorKind::kNotFound, "no_such_task", "no maintenance task " + name, {}};
}

void MaintenanceScheduler::Start() {
  const auto now = std::chrono::steady_clock::now();
  for (Scheduled& s : tasks_) s.due = now + s.task.interval;
  thread_ = std::thread([this] { Loop(); });
}

void MaintenanceScheduler::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto next = std::min_element(tasks_.begin(), tasks_.end(),
                                       [](const auto& a, const auto& b) { return a.due < b.due; });
    if (next == tasks_.end()) {
      wake_.wait(lock, [this] { return stopping_; });
      return;
    }
    if (wake_.wait_until(lock, next->due, [this] { return stopping_; })) return;
    lock.unlock();
    if (auto s = Run(next->task); !s) {
      core::LogWarn("maintenance task failed",
                    {{"task", next->task.name}, {"error", s.error().message}});
    }
    next->due = std::chrono::steady_clock::now() + next->task.interval;
    lock.lock();
  }
}

void MaintenanceScheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace dataplane::local_api
