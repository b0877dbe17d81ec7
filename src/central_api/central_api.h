#pragma once
// The Central API service (SPEC §4): an HTTP server over the sites of SITE_URLS — cross-site
// lists and lookups, site registry and health — with the fan-out client and the health poller
// on the server's own I/O threads (HTTP_THREADS), so that a request and its calls to the sites
// never hand over between thread pools.
//
// Start(): listens, then probes every site once (bounded by the site timeout: a dead site does
// not delay the start) before it accepts the first connection, so that health answers and
// learned site ids are there from the first request. A site that answers later is picked up by the
// poller. Stop(): stops accepting, answers what is in flight, stops the poller, closes the site
// connections. Not copyable; Start/Stop from one controlling thread.
//
// Metrics: through `metrics`, the command's scope (service="central_api"); the registry must
// outlive the CentralApi.
#include <memory>

#include "central_api/config.h"
#include "core/error.h"
#include "metrics/scope.h"

namespace dataplane::central_api {

//! The scope `dataplane central-api` and `up` give the Central API: service="central_api".
metrics::Scope ServiceMetrics(metrics::MetricsRegistry& registry);

class CentralApi {
 public:
  CentralApi(CentralApiConfig config, metrics::Scope metrics);
  ~CentralApi();
  CentralApi(const CentralApi&) = delete;
  CentralApi& operator=(const CentralApi&) = delete;

  core::Status Start();
  void Stop();
  //! The bound port (useful when config.port was 0).
  int port() const;

 private:
  struct Parts;
  CentralApiConfig config_;
  metrics::Scope metrics_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace dataplane::central_api
