#include "local_api/partition_keeper.h"

#include "core/log.h"

namespace dataplane::local_api {

PartitionKeeper::PartitionKeeper(pg::Pool& pool, int max_event_age_days,
                                 std::chrono::seconds interval)
    : pool_(pool), max_event_age_days_(max_event_age_days), interval_(interval) {}

PartitionKeeper::~PartitionKeeper() { Stop(); }

core::Status PartitionKeeper::RunOnce() {
  try {
    pg::Pool::Lease conn = pool_.Acquire();
    pg::PgResult r = conn->Exec(
        "SELECT ensure_partitions((now() AT TIME ZONE 'UTC')::date - $1::int, "
        "(now() AT TIME ZONE 'UTC')::date + 7)",
        {std::to_string(max_event_age_days_ + 1)});
    if (const std::int64_t created = r.Int64(0, 0); created > 0) {
      core::LogInfo("partitions created", {{"count", created}});
    }
    return core::OkStatus();
  } catch (const core::Failure& failure) {
    return failure.error();
  }
}

void PartitionKeeper::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
      lock.unlock();
      if (auto s = RunOnce(); !s) {
        core::LogWarn("partition maintenance failed", {{"error", s.error().message}});
      }
      lock.lock();
    }
  });
}

void PartitionKeeper::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace dataplane::local_api
