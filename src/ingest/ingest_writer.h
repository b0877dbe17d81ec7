#pragma once
// The group-commit ingest writer.
//
// Requests (one event, or a batch's valid events) are queued; `writers` threads each take as
// many queued requests as fit in `max_group_events` (waiting up to `max_group_wait` for more
// when the queue runs dry; 0 = take what is there — groups then grow naturally while the
// previous commit is in flight) and write them with WriteGroup in one transaction. Every
// request's callback runs once, on a writer thread, after COMMIT (or with the error).
//
// Backpressure: Submit refuses (returns false) when the queued events would exceed
// `max_queued_events`; the caller answers 503 + Retry-After at once. Each writer owns one
// database connection, reopened after a failure. A group that fails on its data (not on the
// connection) is retried request by request so that one bad request cannot fail the others.
// Each request carries its caller's context (core/call_context.h): one whose deadline has
// passed when its group is taken is answered kUnavailable without being written (its caller
// has given up; nothing of it is in the database, so a retry is safe).
// Stop() writes what was accepted, then joins the threads. Thread-safe.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/call_context.h"
#include "core/error.h"
#include "ingest/event.h"
#include "metrics/scope.h"
#include "pg/connection.h"

namespace dataplane::ingest {

struct WriteOutcome {
  core::Status status = core::OkStatus();
  std::vector<bool> inserted;  // per event of the request, when status is OK
};

struct IngestWriterOptions {
  pg::ConnectOptions connect;
  int writers = 2;
  std::size_t max_group_events = 5000;
  std::size_t max_queued_events = 50000;
  std::chrono::microseconds max_group_wait{0};
  //! Runs on the writer thread after each COMMIT, before the group's requests are answered
  //! (the query cache invalidates itself here). Must be quick and must not throw.
  std::function<void()> on_commit;
};

class IngestWriter {
 public:
  using Callback = std::function<void(WriteOutcome)>;

  IngestWriter(IngestWriterOptions options, const metrics::Scope& metrics);
  ~IngestWriter();

  void Start();
  void Stop();
  //! Queues the events; false (and no callback) when the queue is full or stopping.
  bool Submit(std::vector<Event> events, const core::CallContext& call, Callback done);
  std::size_t QueuedEvents() const;
  //! Counts events refused by validation under dataplane_ingest_events_total{result="rejected"}.
  void RecordRejected(std::size_t events);

 private:
  struct Request {
    std::vector<Event> events;
    core::CallContext call;
    Callback done;
  };

  void RunWriter();
  std::vector<Request> TakeGroup();
  // Answers and removes the requests whose deadline has passed.
  void DropExpired(std::vector<Request>& group);
  void WriteRequests(std::vector<Request>& group);
  core::Result<std::vector<bool>> Write(const std::vector<const Event*>& events);

  IngestWriterOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;   // guarded by mutex_
  std::deque<Request> queue_;      // guarded by mutex_
  std::size_t queued_events_ = 0;  // guarded by mutex_
  bool stopping_ = false;          // guarded by mutex_
  std::vector<std::thread> threads_;
  // The metric children, looked up once: WithLabels takes the registry's mutex.
  metrics::Counter& inserted_;  // dataplane_ingest_events_total{result}
  metrics::Counter& duplicates_;
  metrics::Counter& rejected_;
  metrics::Counter& failed_;
  metrics::Histogram& group_size_;
  metrics::Histogram& commit_seconds_;
  metrics::Counter& rejected_full_;
  metrics::Gauge& queue_depth_;
};

}  // namespace dataplane::ingest
