#pragma once
// Shared by the Central API's integration tests: a Central API configuration for tests, Local
// API sites on databases of their own, and sites that misbehave at the socket level.
#include <chrono>
#include <memory>
#include <string>

#include "central_api/config.h"
#include "harness.h"
#include "http/types.h"

namespace dataplane::testing {

//! The Central API over `site_urls` on a free loopback port; the poller effectively off (tests
//! poll at start, or set poll_interval) and the breaker out of the way (its tests lower it).
central_api::CentralApiConfig CentralConfigFor(
    const std::string& site_urls,
    std::chrono::milliseconds site_timeout = std::chrono::milliseconds(1000));

//! A started Local API with SITE_ID `site_id` on database `database` of the harness's cluster,
//! created anew and migrated.
std::unique_ptr<TestApi> StartSite(const std::string& database, const std::string& site_id);

std::string SiteUrl(int port);

//! A loopback port where nothing listens (bound once, then closed).
int DeadPort();

//! A socket that completes TCP handshakes (the kernel's backlog) and never reads or answers.
class SilentSocket {
 public:
  SilentSocket();
  ~SilentSocket();
  SilentSocket(const SilentSocket&) = delete;
  SilentSocket& operator=(const SilentSocket&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

//! A JSON answer of `status` with `body`, for test servers standing in for sites.
http::HttpResponse JsonReply(const http::HttpRequest& request, http::status status,
                             std::string body);

}  // namespace dataplane::testing
