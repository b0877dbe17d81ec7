#pragma once
// The archiver as a long-running service: a thread that runs RunArchiver (archiver_run.h) at
// start and then every `interval` (after a failed run, `retry_after`), each run on a connection
// of its own (a database that is down fails that run only), recording metrics and the backlog
// after each run. `dataplane archiver` runs one; `dataplane up` runs one beside its APIs.
// Stop() ends the wait at once; a run in progress finishes its current step first (every step
// is safe to interrupt, but Stop waits for the run to end so that the process exits cleanly).
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "archiver/archiver_metrics.h"
#include "archiver/archiver_run.h"
#include "archiver/object_store.h"

namespace dataplane::archiver {

struct ArchiverServiceOptions {
  std::string database_url;
  std::chrono::milliseconds interval{std::chrono::hours(24)};
  std::chrono::milliseconds retry_after{std::chrono::minutes(5)};
  ArchiverSettings run;
};

class ArchiverService {
 public:
  ArchiverService(ArchiverServiceOptions options, std::unique_ptr<ObjectStore> store,
                  ArchiverMetrics metrics);
  ~ArchiverService();  // Stop()
  ArchiverService(const ArchiverService&) = delete;
  ArchiverService& operator=(const ArchiverService&) = delete;

  //! One run now, on the caller's thread; its outcome (logged and counted).
  core::Result<RunSummary> RunOnce();
  //! Starts the periodic thread (the first run at once).
  void Start();
  void Stop();

 private:
  void Loop();

  ArchiverServiceOptions options_;
  std::unique_ptr<ObjectStore> store_;
  ArchiverMetrics metrics_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace dataplane::archiver
