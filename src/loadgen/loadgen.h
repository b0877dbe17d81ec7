#pragma once
// The load generator: simulated tools posting SPEC §2 events to a Local API.
//
// RunLoadgen runs `connections` threads, each with its own HttpClient (one keep-alive
// connection) and EventGenerator (its own seed, so ids never collide), paced together to `rate`
// requests per second, until `duration_s` has passed or `*stop` becomes true. Each request is a
// POST /v1/event (batch == 0) or a POST /v1/events/batch of `batch` events. A 503 answer is
// retried with the same body after its Retry-After (at most 5 s, at most 5 times); the report
// counts every 503. It blocks until every thread has finished its last request, prints a
// progress line per second and the first error of each sort to stderr unless `quiet`, and
// throws core::Failure (kInvalidInput) only for a URL it cannot use (http:// or https://, see
// http/url.h).
//
// DemoWorkload is the background trickle of `dataplane up`: a few events per second from one
// thread, tolerant of a server that is not up yet (it retries quietly with backoff).
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/error.h"
#include "http/url.h"

namespace dataplane::loadgen {

struct LoadgenOptions {
  std::string url = "http://127.0.0.1:18000";
  double rate = 0;  // requests/s in total, 0 = as fast as possible
  std::vector<std::string> sites = {"fab1"};
  double duration_s = 10;  // <= 0: until *stop
  int connections = 4;
  std::size_t batch = 0;  // 0: POST /v1/event one by one; n: POST /v1/events/batch with n events
  bool quiet = false;
};

struct LoadgenReport {
  std::uint64_t requests = 0;     // HTTP requests sent, 503 retries included
  std::uint64_t events = 0;       // events generated and sent (each counted once)
  std::uint64_t ok = 0;           // events answered as inserted
  std::uint64_t duplicates = 0;   // events answered as duplicates
  std::uint64_t rejected = 0;     // events refused (4xx, or rejected items of a batch)
  std::uint64_t errors = 0;       // requests that failed: transport, 5xx, retries exhausted
  std::uint64_t unavailable = 0;  // 503 answers received (each retried)
  double elapsed_s = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;  // latency of requests that got an HTTP answer
};

//! Runs the load; see the contract above. `stop` may be null.
LoadgenReport RunLoadgen(const LoadgenOptions& options, const std::atomic<bool>* stop = nullptr);

//! A small human-readable table of `report`, ending in a newline.
std::string FormatReport(const LoadgenReport& report);

class DemoWorkload {
 public:
  //! `events_per_second` <= 0 means 1.
  DemoWorkload(std::string url, std::vector<std::string> sites, double events_per_second);
  ~DemoWorkload();  // Stop()
  DemoWorkload(const DemoWorkload&) = delete;
  DemoWorkload& operator=(const DemoWorkload&) = delete;

  //! Starts the background thread; no-op when running. Throws core::Failure for a bad URL.
  void Start();
  //! Stops and joins the thread; returns within the HTTP timeout (1 s) at worst.
  void Stop();
  //! Events the server acknowledged (inserted or duplicate) so far.
  std::uint64_t delivered() const { return delivered_.load(); }

 private:
  void Run(http::HttpTarget target);

  const std::string url_;
  const std::vector<std::string> sites_;
  const double events_per_second_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::atomic<std::uint64_t> delivered_{0};
  std::thread thread_;  // touched only by the owner's thread (Start/Stop)
};

}  // namespace dataplane::loadgen
