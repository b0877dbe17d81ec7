#include <iostream>

#include "archiver/archive_status.h"
#include "archiver/archiver_config.h"
#include "archiver/archiver_service.h"
#include "commands/commands.h"
#include "commands/failure_exit.h"
#include "commands/termination.h"
#include "core/log.h"
#include "core/time.h"
#include "http/metrics_endpoint.h"
#include "http/server.h"
#include "metrics/registry.h"

namespace dataplane::commands {
namespace {

using archiver::ArchiverConfig;

ArchiverConfig LoadConfigOrExit() {
  core::EnvReader env;
  auto config = ArchiverConfig::Load(env);
  if (!config) ExitWith("bad archiver settings", config.error(), kExitUsage);
  core::SetLogLevel(config->log_level);
  return std::move(*config);
}

void PrintStatus(const ArchiverConfig& config) {
  auto conn = pg::Connection::Open({config.database_url});
  if (!conn) ExitWith("cannot read the archive's status", conn.error());
  auto status = archiver::ReadArchiveStatus(**conn, config.run, core::NowMicros());
  if (!status) ExitWith("cannot read the archive's status", status.error());
  std::cout << boost::json::serialize(*status) << "\n";
}

archiver::ArchiverServiceOptions ServiceOptions(const ArchiverConfig& config) {
  return {config.database_url, config.interval,
          std::chrono::duration_cast<std::chrono::milliseconds>(config.retry_after), config.run};
}

//! /metrics of the archiver process on ARCHIVER_METRICS_PORT; null when the port is 0.
std::unique_ptr<http::HttpServer> StartMetricsServer(const ArchiverConfig& config,
                                                     const metrics::MetricsRegistry& registry) {
  if (config.metrics_port == 0) return nullptr;
  http::Router router;
  router.Add(http::verb::get, "/metrics", http::MetricsEndpoint(registry));
  auto server = std::make_unique<http::HttpServer>(
      http::HttpServerOptions{
          .address = config.bind_address, .port = config.metrics_port, .threads = 1},
      std::move(router), std::vector<http::Middleware>{});
  if (auto started = server->Start(); !started) {
    ExitWith("cannot serve the archiver's metrics", started.error());
  }
  core::LogInfo("archiver: metrics served", {{"port", server->port()}});
  return server;
}

void Run(const ArchiverConfig& config, bool once) {
  if (!once) BlockTerminationSignals();  // before any thread starts
  auto store = archiver::OpenStore(config);
  if (!store) ExitWith("cannot open the archive store", store.error(), kExitUsage);
  metrics::MetricsRegistry registry;
  archiver::ArchiverService service(
      ServiceOptions(config), std::move(*store),
      archiver::ArchiverMetrics(metrics::Scope(registry).With("service", "archiver")));
  if (once) {
    if (!service.RunOnce()) throw CLI::RuntimeError(kExitFailure);
    return;
  }
  auto metrics_server = StartMetricsServer(config, registry);
  service.Start();
  WaitForTermination();
  core::LogInfo("archiver: stopping");
  service.Stop();
  if (metrics_server) metrics_server->Stop();
}

}  // namespace

void AddArchiverCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "archiver",
      "Move rows older than ARCHIVE_AFTER_HOURS from event, job and subjob to Parquet files in\n"
      "S3 (S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION, S3_PREFIX) or in\n"
      "ARCHIVE_DIR, every ARCHIVE_INTERVAL_HOURS; /metrics on ARCHIVER_METRICS_PORT\n"
      "(docs/archiver.md).");
  auto once = std::make_shared<bool>(false);
  auto status = std::make_shared<bool>(false);
  cmd->add_flag("--once", *once, "Run once and exit: status 0 when the run succeeded");
  cmd->add_flag("--status", *status, "Print the archive's state (JSON) and exit");
  cmd->callback([cmd, once, status] {
    if (!cmd->get_subcommands().empty()) return;
    const ArchiverConfig config = LoadConfigOrExit();
    if (*status) return PrintStatus(config);
    Run(config, *once);
  });
}

}  // namespace dataplane::commands
