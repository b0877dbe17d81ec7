#include "archiver/archiver_service.h"

#include "archiver/day_planner.h"
#include "core/log.h"
#include "core/time.h"

namespace dataplane::archiver {
namespace {

core::Result<std::unique_ptr<pg::Connection>> ConnectForRun(const std::string& url) {
  // A run's statements (a day's DELETE, a count under lock) may take longer than a request's.
  return pg::Connection::Open({.url = url,
                               .application_name = "dataplane-archiver",
                               .statement_timeout = std::chrono::hours(1)});
}

void LogOutcome(const core::Result<RunSummary>& run) {
  if (!run) {
    core::LogError("archiver: run failed; what was committed stays archived",
                   {{"error", run.error().message}});
  } else if (run->skipped) {
    core::LogInfo("archiver: another archiver is running on this database; run skipped");
  } else {
    core::LogInfo("archiver: run finished", {{"days", run->days},
                                             {"parts", run->parts},
                                             {"rows", run->rows},
                                             {"bytes", run->bytes},
                                             {"days_left_changing", run->changed},
                                             {"cutoff", core::FormatRfc3339(run->cutoff)}});
  }
}

}  // namespace

ArchiverService::ArchiverService(ArchiverServiceOptions options, std::unique_ptr<ObjectStore> store,
                                 ArchiverMetrics metrics)
    : options_(std::move(options)), store_(std::move(store)), metrics_(std::move(metrics)) {}

ArchiverService::~ArchiverService() { Stop(); }

core::Result<RunSummary> ArchiverService::RunOnce() {
  const auto started = std::chrono::steady_clock::now();
  auto conn = ConnectForRun(options_.database_url);
  core::Result<RunSummary> run = conn
                                     ? RunArchiver(**conn, *store_, options_.run, core::NowMicros())
                                     : core::Result<RunSummary>(conn.error());
  metrics_.RecordRun(
      run, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  LogOutcome(run);
  if (run && !run->skipped) {
    auto backend = ReadBackend(**conn);
    for (const ArchivedTable& table : ArchivedTables()) {
      if (!backend) break;
      auto days = PlanDays(**conn, table, *backend, run->cutoff);
      if (days) metrics_.RecordBacklog(std::string(table.name), *days);
    }
  }
  return run;
}

void ArchiverService::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void ArchiverService::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ArchiverService::Loop() {
  for (;;) {
    const bool ok = RunOnce().ok();
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, ok ? options_.interval : options_.retry_after,
                       [this] { return stopping_; })) {
      return;
    }
  }
}

}  // namespace dataplane::archiver
