#pragma once
// The background health check of every site (GET /v1/sites/health answers from what it found,
// without waiting on any site). Every `interval` it probes each site's /v1/healthz at once —
// bypassing the circuit breaker, whose state the probe's result updates, so that a site that
// answers again has its circuit closed — and records per site: ok (200), degraded (503: the
// site works but its database does not), unreachable (anything else: no answer, timeout, not
// JSON, another status); latency, version, database state, last successful contact,
// consecutive failures. A site named by the seed's form of SITE_URLS learns its id from its
// first answer (site_registry.h).
//
// Metrics: dataplane_site_up{site} (1 when the last probe answered ok), and
// dataplane_site_circuit_open{site} (1 while the breaker is open or half-open).
//
// Start() runs the loop on `executor` (its first round one interval later); Stop() ends it (waiting
// for a round in flight, at most the site timeout) and may be called more than once. PollOnce() is
// one round, for the start of the service and for tests.
#include <atomic>
#include <chrono>
#include <future>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "central_api/fan_out.h"
#include "central_api/site_registry.h"
#include "metrics/scope.h"

namespace dataplane::central_api {

class HealthPoller {
 public:
  HealthPoller(SiteRegistry& sites, FanOut& fan_out, std::chrono::milliseconds interval,
               const metrics::Scope& metrics);
  ~HealthPoller();

  boost::asio::awaitable<void> PollOnce();
  void Start(boost::asio::any_io_executor executor);
  void Stop();

 private:
  boost::asio::awaitable<void> Loop();
  void Record(const SiteCall& probe);

  SiteRegistry& sites_;
  FanOut& fan_out_;
  const std::chrono::milliseconds interval_;
  metrics::ScopedFamily<metrics::Gauge> up_;
  metrics::ScopedFamily<metrics::Gauge> circuit_open_;
  std::atomic<bool> stopping_{false};
  std::unique_ptr<boost::asio::steady_timer> timer_;  // on the loop's strand
  boost::asio::any_io_executor strand_;
  std::promise<void> finished_;
  std::future<void> loop_done_;
};

}  // namespace dataplane::central_api
