#pragma once
// The settings every dataplane service reads the same way (README, "Configuration"):
//   PORT          the service's own default (0: any free port)    BIND_ADDRESS  0.0.0.0
//   LOG_LEVEL     INFO (DEBUG, INFO, WARNING, ERROR)
//   HTTP_THREADS  the number of cores (1..256): the HTTP server's I/O threads
// Bad values are recorded in the EnvReader, which reports them with the service's own.
#include <string>

#include "core/env_reader.h"
#include "core/log.h"

namespace dataplane::core {

struct ServiceSettings {
  int port = 0;
  std::string bind_address = "0.0.0.0";
  LogLevel log_level = LogLevel::kInfo;
  int http_threads = 2;
};

ServiceSettings ReadServiceSettings(EnvReader& env, int default_port);

}  // namespace dataplane::core
