#pragma once
// One site the Central API watches: where it is, its id, its circuit breaker and what the
// health poller last learned of it. Shared by the request handlers and the poller; thread-safe.
//
// The id is the configured name, or — in the seed's form of SITE_URLS — the `site_id` of the
// site's health answer, learned by the first successful probe; until then the site is named by
// its endpoint ("site1-api:18000"). Once learned an id does not change (a site that later
// answers with another id is reported, not renamed).
#include <cstdint>
#include <mutex>
#include <string>

#include "central_api/circuit_breaker.h"
#include "central_api/site_list.h"
#include "core/time.h"

namespace dataplane::central_api {

// What the health poller knows of a site (GET /v1/sites/health).
struct SiteHealth {
  std::string status = "unknown";  // ok, degraded (its database is down), unreachable, unknown
  std::string message;             // the last probe's error, "" when it answered
  double latency_ms = 0;           // of the last probe
  std::string version;             // from the last health answer
  bool database_reachable = false;
  std::string database_backend;
  core::Micros checked_at = 0;            // the last probe (0: never)
  core::Micros last_ok_at = 0;            // the last probe that answered (0: never)
  std::int64_t consecutive_failures = 0;  // probes in a row that did not answer
};

class Site {
 public:
  Site(SiteEntry entry, CircuitOptions circuit);

  //! The id requests and answers name the site by.
  std::string Id() const;
  //! Whether the id is known (configured or learned), not the endpoint stand-in.
  bool IdKnown() const;
  //! Sets the id learned from a health answer, once; false when it was already set otherwise.
  bool LearnId(const std::string& id);

  const SiteEntry& entry() const { return entry_; }
  CircuitBreaker& breaker() { return breaker_; }
  const CircuitBreaker& breaker() const { return breaker_; }

  SiteHealth Health() const;
  void SetHealth(SiteHealth health);

 private:
  const SiteEntry entry_;
  CircuitBreaker breaker_;
  mutable std::mutex mutex_;
  std::string id_;
  bool id_known_;
  SiteHealth health_;
};

}  // namespace dataplane::central_api
