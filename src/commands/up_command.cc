#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "archiver/archiver_config.h"
#include "archiver/archiver_service.h"
#include "central_api/central_api.h"
#include "commands/commands.h"
#include "commands/failure_exit.h"
#include "commands/termination.h"
#include "core/env_reader.h"
#include "core/log.h"
#include "loadgen/loadgen.h"
#include "local_api/local_api.h"
#include "pg/database_backend.h"
#include "pg/embedded_cluster.h"
#include "pg/migrations.h"

namespace dataplane::commands {
namespace {

struct UpOptions {
  std::string var_dir = "var";
  bool no_demo = false;
  double demo_rate = 5;
  std::string site = "fab1";
  std::string backend = "auto";  // of the private cluster: auto | timescaledb | postgres
  int central_port = 19000;
};

// The environment, with what `up` decides over it for one service.
core::EnvReader EnvWith(std::map<std::string, std::string> overrides,
                        std::map<std::string, std::string> defaults = {}) {
  return core::EnvReader([overrides = std::move(overrides), defaults = std::move(defaults)](
                             const std::string& name) -> std::optional<std::string> {
    if (auto it = overrides.find(name); it != overrides.end()) return it->second;
    if (const char* v = std::getenv(name.c_str())) return std::string(v);
    if (auto it = defaults.find(name); it != defaults.end()) return it->second;
    return std::nullopt;
  });
}

// The Central API over the embedded site (or SITE_URLS when set) on options.central_port.
central_api::CentralApiConfig CentralConfig(const UpOptions& options, const std::string& site_id,
                                            const std::string& site_url) {
  core::EnvReader env = EnvWith({{"PORT", std::to_string(options.central_port)}},
                                {{"SITE_URLS", site_id + "=" + site_url}});
  auto config = central_api::CentralApiConfig::Load(env);
  if (!config) ExitWith("invalid Central API configuration", config.error(), kExitUsage);
  return std::move(*config);
}

// DATABASE_URL from the environment, or a private cluster under <var>/pg started for us.
std::string DatabaseUrl(const UpOptions& options, std::optional<pg::EmbeddedCluster>& cluster) {
  if (auto url = core::EnvReader().Optional("DATABASE_URL")) return *url;
  pg::ClusterOptions cluster_options{options.var_dir + "/pg"};
  // Start() refuses a preload of an extension that is not installed, saying how to install it.
  cluster_options.timescaledb =
      options.backend == "timescaledb" ||
      (options.backend == "auto" && !pg::EmbeddedCluster::InstalledTimescaleDbVersion().empty());
  cluster.emplace(cluster_options);
  core::LogInfo(
      "starting private PostgreSQL",
      {{"dir", cluster->options().dir}, {"preload_timescaledb", cluster_options.timescaledb}});
  if (auto s = cluster->Start(); !s) ExitWith("PostgreSQL did not start", s.error());
  return cluster->Url();
}

// The archiver over the same database, into <var>/archive every 6 minutes unless the
// environment says otherwise (a demo's rows are recent: they leave after ARCHIVE_AFTER_HOURS).
std::unique_ptr<archiver::ArchiverService> StartArchiver(const UpOptions& options,
                                                         const std::string& url,
                                                         metrics::MetricsRegistry& registry,
                                                         archiver::ArchiverConfig& config) {
  core::EnvReader env =
      EnvWith({{"DATABASE_URL", url}},
              {{"ARCHIVE_DIR", options.var_dir + "/archive"}, {"ARCHIVE_INTERVAL_HOURS", "0.1"}});
  auto loaded = archiver::ArchiverConfig::Load(env);
  if (!loaded) ExitWith("invalid archiver configuration", loaded.error(), kExitUsage);
  config = std::move(*loaded);
  auto store = archiver::OpenStore(config);
  if (!store) ExitWith("cannot open the archive store", store.error(), kExitUsage);
  auto service = std::make_unique<archiver::ArchiverService>(
      archiver::ArchiverServiceOptions{
          config.database_url, config.interval,
          std::chrono::duration_cast<std::chrono::milliseconds>(config.retry_after), config.run},
      std::move(*store),
      archiver::ArchiverMetrics(metrics::Scope(registry).With("service", "archiver")));
  service->Start();
  return service;
}

std::string ArchiveWhere(const archiver::ArchiverConfig& config) {
  const std::string where =
      config.use_s3 ? "s3://" + config.s3.bucket + "/" + config.run.export_settings.prefix
                    : config.archive_dir;
  const double minutes = std::chrono::duration<double, std::ratio<60>>(config.interval).count();
  std::ostringstream text;
  text << where << "   (every " << minutes << " min; status: dataplane archiver --status)";
  return text.str();
}

pg::DatabaseBackend Migrate(const std::string& url) {
  auto conn = pg::Connection::Open({url});
  if (!conn) ExitWith("cannot connect to the database", conn.error());
  return OrExit("migration failed", [&] { return pg::Migrate(**conn).backend; });
}

void RunUp(const UpOptions& options) {
  BlockTerminationSignals();  // before any thread starts
  std::optional<pg::EmbeddedCluster> cluster;
  const std::string url = DatabaseUrl(options, cluster);
  const pg::DatabaseBackend backend = Migrate(url);

  core::EnvReader env = EnvWith({{"DATABASE_URL", url}}, {{"SITE_ID", options.site}});
  auto config = local_api::LocalApiConfig::Load(env);
  if (!config) ExitWith("invalid configuration", config.error());
  core::SetLogLevel(config->log_level);
  metrics::MetricsRegistry registry;  // the process's one registry and scrape
  local_api::LocalApi api(*config, local_api::ServiceMetrics(registry));
  if (auto s = api.Start(); !s) ExitWith("local api failed to start", s.error());

  const std::string base = "http://127.0.0.1:" + std::to_string(api.port());
  central_api::CentralApi central(CentralConfig(options, config->site_id, base),
                                  central_api::ServiceMetrics(registry));
  if (auto s = central.Start(); !s) ExitWith("central api failed to start", s.error());
  const std::string central_base = "http://127.0.0.1:" + std::to_string(central.port());
  archiver::ArchiverConfig archive_config;
  auto archiver = StartArchiver(options, url, registry, archive_config);
  std::optional<loadgen::DemoWorkload> demo;
  if (!options.no_demo) {
    demo.emplace(base, std::vector<std::string>{config->site_id}, options.demo_rate);
    demo->Start();
  }
  std::cout << "\ndataplane is up.\n"
            << "  Local API   " << base << "   (try: curl '" << base << "/v1/jobs?limit=5')\n"
            << "  Central API " << central_base << "   (try: curl '" << central_base
            << "/v1/sites/health')\n"
            << "  health      " << base << "/v1/healthz\n"
            << "  metrics     " << base << "/metrics   (every service of the process)\n"
            << "  archive     " << ArchiveWhere(archive_config) << "\n"
            << "  database    " << core::RedactUrl(url) << "   (" << pg::Describe(backend) << ")\n"
            << (demo ? "  demo        simulated tools at site " + config->site_id + ", " +
                           std::to_string(static_cast<int>(options.demo_rate)) + " events/s\n"
                     : std::string())
            << "Ctrl-C stops everything.\n"
            << std::endl;

  WaitForTermination();
  core::LogInfo("stopping");
  if (demo) demo->Stop();
  archiver->Stop();
  central.Stop();
  api.Stop();
  if (cluster) {
    if (auto s = cluster->Stop(); !s)
      core::LogWarn("PostgreSQL stop failed", {{"error", s.error().message}});
  }
}

}  // namespace

void AddUpCommand(CLI::App& app) {
  auto options = std::make_shared<UpOptions>();
  CLI::App* cmd = app.add_subcommand(
      "up",
      "Run the embedded all-in-one default: a private PostgreSQL under ./var/pg (unless\n"
      "DATABASE_URL is set), migrated, the Local API on PORT (default 18000), the Central API\n"
      "on --central-port (default 19000) over it (or over SITE_URLS when set), the archiver\n"
      "into ./var/archive (ARCHIVE_* and S3_* settings apply) and a demo workload of simulated\n"
      "tools. Ctrl-C / SIGTERM stops everything.");
  cmd->add_option("--central-port", options->central_port,
                  "Port of the Central API (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_flag("--no-demo", options->no_demo, "Do not run the demo workload");
  cmd->add_option("--var", options->var_dir, "Directory for local state")->capture_default_str();
  cmd->add_option("--demo-rate", options->demo_rate, "Demo events per second")
      ->check(CLI::Range(0.1, 10000.0))
      ->capture_default_str();
  cmd->add_option("--site", options->site, "Site id of the demo (when SITE_ID is unset)")
      ->capture_default_str();
  cmd->add_option("--backend", options->backend,
                  "Storage of the private cluster: auto (TimescaleDB when installed), "
                  "timescaledb, postgres. Fixed when ./var/pg's database is first migrated.")
      ->check(CLI::IsMember({"auto", "timescaledb", "postgres"}))
      ->capture_default_str();
  cmd->callback([options] { RunUp(*options); });
}

}  // namespace dataplane::commands
