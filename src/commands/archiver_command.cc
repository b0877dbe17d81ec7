#include <iostream>

#include "archiver/archive_restore.h"
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

struct RestoreOptions {
  std::string table;
  std::string from;
  std::string to;  // empty: --from
  int hold_hours = 168;
};

archiver::RestoreRequest RestoreRequestOrExit(const RestoreOptions& options,
                                              const ArchiverConfig& config) {
  archiver::RestoreRequest request;
  request.table = archiver::FindArchivedTable(options.table);
  if (request.table == nullptr) {
    ExitWith(
        "bad restore request",
        core::Error::Invalid("unknown_table", "--table",
                             "--table must be event, job or subjob, not '" + options.table + "'"),
        kExitUsage);
  }
  auto from = archiver::ArchiveDay::Parse(options.from, "--from");
  if (!from) ExitWith("bad restore request", from.error(), kExitUsage);
  auto to = archiver::ArchiveDay::Parse(options.to.empty() ? options.from : options.to, "--to");
  if (!to) ExitWith("bad restore request", to.error(), kExitUsage);
  if (*to < *from) {
    ExitWith("bad restore request",
             core::Error::Invalid("bad_range", "--to", "--to is before --from"), kExitUsage);
  }
  request.from = *from;
  request.to = *to;
  request.hold = std::chrono::hours(options.hold_hours);
  request.staging_dir = config.staging_dir;
  return request;
}

boost::json::object RestoreReport(const archiver::RestoreRequest& request,
                                  const archiver::RestoreSummary& summary) {
  boost::json::array days;
  for (const archiver::RestoredDay& day : summary.days) {
    days.push_back({{"day", day.day.Text()},
                    {"parts", day.parts},
                    {"archived_rows", day.archived_rows},
                    {"inserted_rows", day.inserted_rows}});
  }
  return {{"table", std::string(request.table->name)},
          {"from", request.from.Text()},
          {"to", request.to.Text()},
          {"hold_hours", request.hold.count()},
          {"days", std::move(days)},
          {"archived_rows", summary.archived_rows},
          {"inserted_rows", summary.inserted_rows}};
}

void Restore(const RestoreOptions& options) {
  const ArchiverConfig config = LoadConfigOrExit();
  const archiver::RestoreRequest request = RestoreRequestOrExit(options, config);
  auto store = archiver::OpenStore(config);
  if (!store) ExitWith("cannot open the archive store", store.error(), kExitUsage);
  auto conn = pg::Connection::Open({.url = config.database_url,
                                    .application_name = "dataplane-archiver-restore",
                                    .statement_timeout = std::chrono::hours(1)});
  if (!conn) ExitWith("cannot restore", conn.error());
  auto summary = archiver::RestoreArchive(**conn, **store, request);
  if (!summary) ExitWith("cannot restore", summary.error());
  std::cout << boost::json::serialize(RestoreReport(request, *summary)) << "\n";
}

void AddRestoreCommand(CLI::App& archiver) {
  CLI::App* cmd = archiver.add_subcommand(
      "restore",
      "Load the archived rows of --table's days [--from, --to] back into the hot tables and\n"
      "keep those days hot for --hold-hours (docs/archiver.md \"Restore\"); prints what it\n"
      "restored (JSON). Idempotent: a day restored already is no longer archived.");
  auto options = std::make_shared<RestoreOptions>();
  cmd->add_option("--table", options->table, "event, job or subjob")->required();
  cmd->add_option("--from", options->from, "The first UTC day, YYYY-MM-DD")->required();
  cmd->add_option("--to", options->to, "The last UTC day, YYYY-MM-DD (default: --from)");
  cmd->add_option("--hold-hours", options->hold_hours,
                  "How long the archiver leaves the restored days hot (default 168)")
      ->check(CLI::Range(1, 87600));
  cmd->callback([options] { Restore(*options); });
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
  AddRestoreCommand(*cmd);
  cmd->callback([cmd, once, status] {
    if (!cmd->get_subcommands().empty()) return;
    const ArchiverConfig config = LoadConfigOrExit();
    if (*status) return PrintStatus(config);
    Run(config, *once);
  });
}

}  // namespace dataplane::commands
