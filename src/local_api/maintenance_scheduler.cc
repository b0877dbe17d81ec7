#include "local_api/maintenance_scheduler.h"

#include <algorithm>

#include "core/log.h"

namespace dataplane::local_api {
namespace {

double UnixSecondsNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

MaintenanceScheduler::MaintenanceScheduler(pg::Pool& pool, const metrics::Scope& metrics,
                                           std::vector<MaintenanceTask> tasks)
    : pool_(pool) {
  const auto runs = metrics.AddCounter("dataplane_maintenance_runs_total",
                                       "Background maintenance task runs, by task and result.",
                                       {"task", "result"});
  const auto last_success =
      metrics.AddGauge("dataplane_maintenance_last_success_timestamp_seconds",
                       "Unix time of the last successful run of each maintenance task.", {"task"});
  for (MaintenanceTask& task : tasks) {
    metrics::Counter& ok = runs.WithLabels({task.name, "ok"});
    metrics::Counter& failed = runs.WithLabels({task.name, "error"});
    metrics::Gauge& last = last_success.WithLabels({task.name});
    tasks_.push_back({std::move(task), {}, &ok, &failed, &last});
  }
}

MaintenanceScheduler::~MaintenanceScheduler() { Stop(); }

core::Status MaintenanceScheduler::Run(const Scheduled& scheduled) {
  try {
    pg::Pool::Lease conn = pool_.Acquire();
    scheduled.task.run(*conn);
  } catch (const core::Failure& failure) {
    scheduled.failed_runs->Inc();
    return failure.error();
  }
  scheduled.ok_runs->Inc();
  scheduled.last_success->Set(UnixSecondsNow());
  return core::OkStatus();
}

core::Status MaintenanceScheduler::RunNow(const std::string& name) {
  for (const Scheduled& s : tasks_) {
    if (s.task.name == name) return Run(s);
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
    if (auto s = Run(*next); !s) {
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
