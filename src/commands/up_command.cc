#include <iostream>
#include <optional>

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
};

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

  core::EnvReader env([&](const std::string& name) -> std::optional<std::string> {
    if (name == "DATABASE_URL") return url;
    if (const char* v = std::getenv(name.c_str())) return std::string(v);
    if (name == "SITE_ID") return options.site;
    return std::nullopt;
  });
  auto config = local_api::LocalApiConfig::Load(env);
  if (!config) ExitWith("invalid configuration", config.error());
  core::SetLogLevel(config->log_level);
  metrics::MetricsRegistry registry;  // the process's one registry and scrape
  local_api::LocalApi api(*config, local_api::ServiceMetrics(registry));
  if (auto s = api.Start(); !s) ExitWith("local api failed to start", s.error());

  const std::string base = "http://127.0.0.1:" + std::to_string(api.port());
  std::optional<loadgen::DemoWorkload> demo;
  if (!options.no_demo) {
    demo.emplace(base, std::vector<std::string>{config->site_id}, options.demo_rate);
    demo->Start();
  }
  std::cout << "\ndataplane is up.\n"
            << "  Local API   " << base << "   (try: curl '" << base << "/v1/jobs?limit=5')\n"
            << "  health      " << base << "/v1/healthz\n"
            << "  metrics     " << base << "/metrics\n"
            << "  database    " << core::RedactUrl(url) << "   (" << pg::Describe(backend) << ")\n"
            << (demo ? "  demo        simulated tools at site " + config->site_id + ", " +
                           std::to_string(static_cast<int>(options.demo_rate)) + " events/s\n"
                     : std::string())
            << "Ctrl-C stops everything.\n"
            << std::endl;

  WaitForTermination();
  core::LogInfo("stopping");
  if (demo) demo->Stop();
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
      "DATABASE_URL is set), migrated, the Local API on PORT (default 18000) and a demo\n"
      "workload of simulated tools. Ctrl-C / SIGTERM stops everything.");
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
