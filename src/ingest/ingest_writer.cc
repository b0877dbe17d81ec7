#include "ingest/ingest_writer.h"

#include <algorithm>

#include "core/log.h"
#include "ingest/group_write.h"
#include "pg/sql_failure.h"

namespace dataplane::ingest {
namespace {

thread_local std::unique_ptr<pg::Connection> t_connection;  // each writer thread's own

// The group's data was refused: one request of it may be at fault, so the others are written
// without it. Anything else (the connection, a deadlock, a bug) would fail them alike.
bool IsDataError(const core::Error& error) {
  return pg::Is(error, pg::SqlFailure::kDataRejected) ||
         pg::Is(error, pg::SqlFailure::kUniqueViolation) ||
         pg::Is(error, pg::SqlFailure::kMissingPartition);
}

// dataplane_ingest_events_total{result}: registering it again returns the same family.
metrics::Counter& EventsCounter(const metrics::Scope& metrics, std::string_view result) {
  return metrics
      .AddCounter("dataplane_ingest_events_total", "Events received for writing, by result.",
                  {"result"})
      .WithLabels({result});
}

}  // namespace

IngestWriter::IngestWriter(IngestWriterOptions options, const metrics::Scope& metrics)
    : options_(std::move(options)),
      inserted_(EventsCounter(metrics, "inserted")),
      duplicates_(EventsCounter(metrics, "duplicate")),
      rejected_(EventsCounter(metrics, "rejected")),
      failed_(EventsCounter(metrics, "failed")),
      group_size_(metrics
                      .AddHistogram("dataplane_ingest_group_events",
                                    "Events per group-commit transaction.", {},
                                    {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000})
                      .WithLabels({})),
      commit_seconds_(metrics
                          .AddHistogram("dataplane_ingest_commit_duration_seconds",
                                        "Time to write and commit one group.", {},
                                        metrics::DefaultLatencyBuckets())
                          .WithLabels({})),
      rejected_full_(metrics
                         .AddCounter("dataplane_ingest_queue_rejections_total",
                                     "Requests refused because the ingest queue was full.")
                         .WithLabels({})),
      queue_depth_(metrics.AddGauge("dataplane_ingest_queue_events", "Events waiting for a writer.")
                       .WithLabels({})) {}

IngestWriter::~IngestWriter() { Stop(); }

void IngestWriter::Start() {
  for (int i = 0; i < std::max(1, options_.writers); ++i) {
    threads_.emplace_back([this] { RunWriter(); });
  }
}

void IngestWriter::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

bool IngestWriter::Submit(std::vector<Event> events, const core::CallContext& call, Callback done) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ ||
        (queued_events_ > 0 && queued_events_ + events.size() > options_.max_queued_events)) {
      rejected_full_.Inc();
      return false;
    }
    queued_events_ += events.size();
    queue_depth_.Set(static_cast<double>(queued_events_));
    queue_.push_back({std::move(events), call, std::move(done)});
  }
  wake_.notify_one();
  return true;
}

void IngestWriter::RecordRejected(std::size_t events) {
  rejected_.Inc(static_cast<double>(events));
}

std::size_t IngestWriter::QueuedEvents() const {
  std::lock_guard lock(mutex_);
  return queued_events_;
}

std::vector<IngestWriter::Request> IngestWriter::TakeGroup() {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
  std::vector<Request> group;
  std::size_t events = 0;
  const auto deadline = std::chrono::steady_clock::now() + options_.max_group_wait;
  while (true) {
    while (!queue_.empty() &&
           (group.empty() || events + queue_.front().events.size() <= options_.max_group_events)) {
      events += queue_.front().events.size();
      group.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    const bool full = !queue_.empty() || events >= options_.max_group_events;
    if (full || stopping_ || options_.max_group_wait.count() == 0) break;
    if (!wake_.wait_until(lock, deadline, [this] { return stopping_ || !queue_.empty(); })) break;
  }
  queued_events_ -= events;
  queue_depth_.Set(static_cast<double>(queued_events_));
  return group;
}

void IngestWriter::DropExpired(std::vector<Request>& group) {
  const auto expired = std::stable_partition(group.begin(), group.end(),
                                             [](const Request& r) { return !r.call.Expired(); });
  for (auto it = expired; it != group.end(); ++it) {
    failed_.Inc(static_cast<double>(it->events.size()));
    it->done({core::Error{core::ErrorKind::kUnavailable,
                          "deadline_exceeded",
                          "the request waited in the ingest queue past its deadline; nothing "
                          "of it was written",
                          {}},
              {}});
  }
  group.erase(expired, group.end());
}

void IngestWriter::RunWriter() {
  while (true) {
    std::vector<Request> group = TakeGroup();
    DropExpired(group);
    if (group.empty()) {
      std::lock_guard lock(mutex_);
      if (stopping_ && queue_.empty()) break;
      continue;
    }
    WriteRequests(group);
  }
  t_connection.reset();
}

core::Result<std::vector<bool>> IngestWriter::Write(const std::vector<const Event*>& events) {
  if (!t_connection || t_connection->IsBroken()) {
    t_connection.reset();
    auto opened = pg::Connection::Open(options_.connect);
    if (!opened) return opened.error();
    if (core::Status prepared = PrepareWriterConnection(**opened); !prepared) {
      return prepared.error();
    }
    t_connection = std::move(opened.value());
  }
  const auto started = std::chrono::steady_clock::now();
  auto inserted = WriteGroup(*t_connection, events);
  if (!inserted) return inserted;
  commit_seconds_.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  group_size_.Observe(static_cast<double>(events.size()));
  return inserted;
}

void IngestWriter::WriteRequests(std::vector<Request>& group) {
  std::vector<const Event*> events;
  for (const Request& r : group) {
    for (const Event& e : r.events) events.push_back(&e);
  }
  auto inserted = Write(events);
  if (inserted) {
    if (options_.on_commit) options_.on_commit();
    std::size_t offset = 0;
    for (Request& r : group) {
      WriteOutcome outcome;
      outcome.inserted.assign(inserted->begin() + offset,
                              inserted->begin() + offset + r.events.size());
      offset += r.events.size();
      for (bool i : outcome.inserted) (i ? inserted_ : duplicates_).Inc();
      r.done(std::move(outcome));
    }
    return;
  }
  const core::Error& error = inserted.error();
  if (group.size() > 1 && IsDataError(error)) {
    core::LogWarn("group write failed on its data; retrying request by request",
                  {{"error", error.message}});
    for (Request& r : group) {
      std::vector<Request> single;
      single.push_back(std::move(r));
      WriteRequests(single);
    }
    return;
  }
  core::LogWarn("ingest write failed",
                {{"error", error.message}, {"events", static_cast<std::uint64_t>(events.size())}});
  if (error.kind == core::ErrorKind::kUnavailable) t_connection.reset();
  for (Request& r : group) {
    failed_.Inc(static_cast<double>(r.events.size()));
    r.done(WriteOutcome{error, {}});
  }
}

}  // namespace dataplane::ingest
