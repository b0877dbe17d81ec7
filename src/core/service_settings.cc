#include "core/service_settings.h"

#include <algorithm>
#include <thread>

namespace dataplane::core {

ServiceSettings ReadServiceSettings(EnvReader& env, int default_port) {
  ServiceSettings s;
  s.port = static_cast<int>(env.Int("PORT", default_port, 0, 65535));
  s.bind_address = env.String("BIND_ADDRESS", "0.0.0.0");
  if (auto level = ParseLogLevel(env.String("LOG_LEVEL", "INFO"))) {
    s.log_level = *level;
  } else {
    env.Fail(level.error().message);
  }
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  s.http_threads = static_cast<int>(env.Int("HTTP_THREADS", cores, 1, 256));
  return s;
}

}  // namespace dataplane::core
