#pragma once
// The Local API service: HTTP server, query pool, group-commit writer, health probe and the
// maintenance scheduler (partitions ahead, job statistics refresh and retention), wired together.
//
// Start(): connects (retrying for up to `startup_wait`), refuses an unmigrated database with a
// message naming `dataplane migrate`, makes sure the daily partitions exist, then listens.
// Stop(): stops accepting, answers what is in flight, writes and acknowledges what was
// queued, closes the pool. Not copyable; Start/Stop from one controlling thread.
//
// Metrics: registered through `metrics`, a scope of the process's registry chosen by the
// command (service="local_api" for `dataplane local-api` and `up`), so that other services of
// the process share the registry and one /metrics scrape shows them all. The registry must
// outlive the LocalApi.
#include <chrono>
#include <memory>

#include "core/error.h"
#include "local_api/config.h"
#include "metrics/scope.h"

namespace dataplane::local_api {

//! The scope `dataplane local-api` and `up` give the Local API: service="local_api".
metrics::Scope ServiceMetrics(metrics::MetricsRegistry& registry);

class LocalApi {
 public:
  LocalApi(LocalApiConfig config, metrics::Scope metrics);
  ~LocalApi();
  LocalApi(const LocalApi&) = delete;
  LocalApi& operator=(const LocalApi&) = delete;

  core::Status Start();
  core::Status Start(std::chrono::seconds startup_wait);
  void Stop();
  //! The bound port (useful when config.port was 0).
  int port() const;

 private:
  struct Parts;
  LocalApiConfig config_;
  metrics::Scope metrics_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace dataplane::local_api
