#pragma once
// The Central API's settings, read from the environment (SPEC §4) and validated at start:
// Load() reports every bad value in one message, SITE_URLS problems naming the entry.
//
//   SITE_URLS              required: site URLs, or name=URL pairs (site_list.h)
//   PORT                   19000     BIND_ADDRESS  0.0.0.0     LOG_LEVEL  INFO
//   HTTP_THREADS           nproc     (the server's I/O threads; the site client has one more)
//   SITE_TIMEOUT_S         2         each call to a site (0.05..60)
//   SITE_POLL_INTERVAL_S   5         the health poller's period (0.1..3600)
//   SITE_TOKEN             ""        sent to the sites as `Authorization: Bearer …`
//   SITE_MAX_ANSWER_BYTES  64 MiB    a site's answer beyond this is a bad_answer
//   SITE_CIRCUIT_FAILURES  3         consecutive failures that open a site's circuit
//   SITE_CIRCUIT_OPEN_S    5         the first backoff of an open circuit, doubled up to
//   SITE_CIRCUIT_MAX_OPEN_S 60
//   REQUEST_TIMEOUT_S      30        the deadline of each request to the Central API
#include <chrono>
#include <string>
#include <vector>

#include "central_api/circuit_breaker.h"
#include "central_api/site_list.h"
#include "core/env_reader.h"
#include "core/log.h"

namespace dataplane::central_api {

struct CentralApiConfig {
  std::vector<SiteEntry> sites;
  int port = 19000;
  std::string bind_address = "0.0.0.0";
  core::LogLevel log_level = core::LogLevel::kInfo;
  int http_threads = 2;
  std::chrono::milliseconds site_timeout{2000};
  std::chrono::milliseconds poll_interval{5000};
  std::string site_token;
  std::uint64_t max_answer_bytes = std::uint64_t{64} << 20;
  CircuitOptions circuit;
  std::chrono::milliseconds request_timeout{30000};

  //! Reads and validates every setting; the error names each bad one.
  static core::Result<CentralApiConfig> Load(core::EnvReader& env);
};

}  // namespace dataplane::central_api
