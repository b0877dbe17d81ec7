#include "central_api/config.h"

#include "core/service_settings.h"

namespace dataplane::central_api {
namespace {

std::chrono::milliseconds Millis(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

}  // namespace

core::Result<CentralApiConfig> CentralApiConfig::Load(core::EnvReader& env) {
  CentralApiConfig c;
  if (auto sites = ParseSiteUrls(env.String("SITE_URLS", ""))) {
    c.sites = std::move(*sites);
  } else {
    env.Fail(sites.error().message);
  }
  const core::ServiceSettings service = core::ReadServiceSettings(env, 19000);
  c.port = service.port;
  c.bind_address = service.bind_address;
  c.log_level = service.log_level;
  c.http_threads = service.http_threads;
  c.site_timeout = Millis(env.Double("SITE_TIMEOUT_S", 2, 0.05, 60));
  c.poll_interval = Millis(env.Double("SITE_POLL_INTERVAL_S", 5, 0.1, 3600));
  c.site_token = env.String("SITE_TOKEN", "");
  c.max_answer_bytes = static_cast<std::uint64_t>(
      env.Int("SITE_MAX_ANSWER_BYTES", std::int64_t{64} << 20, 1024, std::int64_t{1} << 32));
  c.circuit.failure_threshold = static_cast<int>(env.Int("SITE_CIRCUIT_FAILURES", 3, 1, 1000));
  c.circuit.base_backoff = Millis(env.Double("SITE_CIRCUIT_OPEN_S", 5, 0.1, 3600));
  c.circuit.max_backoff = Millis(env.Double("SITE_CIRCUIT_MAX_OPEN_S", 60, 0.1, 86400));
  if (c.circuit.max_backoff < c.circuit.base_backoff) {
    env.Fail("SITE_CIRCUIT_MAX_OPEN_S must not be less than SITE_CIRCUIT_OPEN_S");
  }
  c.request_timeout = Millis(env.Double("REQUEST_TIMEOUT_S", 30, 0.1, 3600));
  if (c.request_timeout < c.site_timeout) {
    env.Fail("REQUEST_TIMEOUT_S must not be less than SITE_TIMEOUT_S");
  }
  if (auto s = env.Finish(); !s) return s.error();
  return c;
}

}  // namespace dataplane::central_api
