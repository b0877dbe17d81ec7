#include <iostream>

#include "archiver/archive_status.h"
#include "archiver/archiver_config.h"
#include "archiver/archiver_run.h"
#include "commands/commands.h"
#include "commands/failure_exit.h"
#include "commands/termination.h"
#include "core/log.h"
#include "core/time.h"

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

std::unique_ptr<pg::Connection> ConnectForRun(const ArchiverConfig& config) {
  // A run's statements (a day's DELETE, a count under lock) may take longer than a request's.
  auto conn = pg::Connection::Open({.url = config.database_url,
                                    .application_name = "dataplane-archiver",
                                    .statement_timeout = std::chrono::hours(1)});
  if (!conn) {
    core::LogError("archiver: cannot connect to the database", {{"error", conn.error().message}});
    return nullptr;
  }
  return std::move(*conn);
}

//! One run; false when it failed (logged).
bool RunOnce(const ArchiverConfig& config, archiver::ObjectStore& store) {
  auto conn = ConnectForRun(config);
  if (!conn) return false;
  auto summary = archiver::RunArchiver(*conn, store, config.run, core::NowMicros());
  if (!summary) {
    core::LogError("archiver: run failed; what was committed stays archived",
                   {{"error", summary.error().message}});
    return false;
  }
  if (summary->skipped) {
    core::LogInfo("archiver: another archiver is running on this database; run skipped");
    return true;
  }
  core::LogInfo("archiver: run finished", {{"days", summary->days},
                                           {"parts", summary->parts},
                                           {"rows", summary->rows},
                                           {"bytes", summary->bytes},
                                           {"days_left_changing", summary->changed},
                                           {"cutoff", core::FormatRfc3339(summary->cutoff)}});
  return true;
}

void PrintStatus(const ArchiverConfig& config) {
  auto conn = ConnectForRun(config);
  if (!conn) ExitWith("cannot read the archive's status", core::Error::Unavailable("no database"));
  auto status = archiver::ReadArchiveStatus(*conn, config.run, core::NowMicros());
  if (!status) ExitWith("cannot read the archive's status", status.error());
  std::cout << boost::json::serialize(*status) << "\n";
}

void RunForever(const ArchiverConfig& config, archiver::ObjectStore& store) {
  for (;;) {
    const bool ok = RunOnce(config, store);
    const auto wait = ok ? std::chrono::milliseconds(config.interval)
                         : std::chrono::milliseconds(config.retry_after);
    if (WaitForTerminationFor(wait) != 0) {
      core::LogInfo("archiver: stopping");
      return;
    }
  }
}

}  // namespace

void AddArchiverCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "archiver",
      "Move rows older than ARCHIVE_AFTER_HOURS from event, job and subjob to Parquet files in\n"
      "S3 (S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION, S3_PREFIX) or in\n"
      "ARCHIVE_DIR, every ARCHIVE_INTERVAL_HOURS (docs/archiver.md).");
  auto once = std::make_shared<bool>(false);
  auto status = std::make_shared<bool>(false);
  cmd->add_flag("--once", *once, "Run once and exit: status 0 when the run succeeded");
  cmd->add_flag("--status", *status, "Print the archive's state (JSON) and exit");
  cmd->callback([cmd, once, status] {
    if (!cmd->get_subcommands().empty()) return;
    const ArchiverConfig config = LoadConfigOrExit();
    if (*status) return PrintStatus(config);
    auto store = archiver::OpenStore(config);
    if (!store) ExitWith("cannot open the archive store", store.error(), kExitUsage);
    if (*once) {
      if (!RunOnce(config, **store)) throw CLI::RuntimeError(kExitFailure);
      return;
    }
    BlockTerminationSignals();
    RunForever(config, **store);
  });
}

}  // namespace dataplane::commands
