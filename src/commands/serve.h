#pragma once
// How `dataplane local-api` and `central-api` run their service: settings loaded from the
// environment (a bad one exits 2 naming every problem), the log level set, the process's one
// metrics registry created, the service started (a failure exits 1), then served until SIGINT
// or SIGTERM, and stopped (which drains what is in flight).
#include <string_view>

#include <CLI/CLI.hpp>

#include "commands/termination.h"
#include "core/env_reader.h"
#include "core/log.h"
#include "metrics/registry.h"

namespace dataplane::commands {

//! `Service` is made from (Config, metrics::Scope) and has Start() → core::Status and Stop();
//! `scope_of(registry)` is its metrics scope (e.g. local_api::ServiceMetrics).
template <typename Service, typename Config, typename ScopeOf>
void Serve(std::string_view name, ScopeOf scope_of) {
  BlockTerminationSignals();
  core::EnvReader env;
  auto config = Config::Load(env);
  if (!config) {
    core::LogError(config.error().message);
    throw CLI::RuntimeError(2);
  }
  core::SetLogLevel(config->log_level);
  metrics::MetricsRegistry registry;  // the process's one registry and scrape
  Service service(std::move(*config), scope_of(registry));
  if (auto s = service.Start(); !s) {
    core::LogError(std::string(name) + " failed to start", {{"error", s.error().message}});
    throw CLI::RuntimeError(1);
  }
  const int signal = WaitForTermination();
  core::LogInfo("shutting down", {{"signal", signal}});
  service.Stop();
}

}  // namespace dataplane::commands
