#include <iostream>

#include "commands/commands.h"
#include "commands/connect.h"
#include "core/env_reader.h"
#include "core/log.h"
#include "pg/db_monitor.h"
#include "pg/maintenance.h"

namespace dataplane::commands {
namespace {

void AddMonitor(CLI::App& db) {
  CLI::App* cmd = db.add_subcommand(
      "monitor",
      "Health report of the database: tables and partitions/chunks with sizes, aggregate\n"
      "freshness, compression, slow queries, replication lag, archive backlog.");
  struct Options {
    std::string url;
    bool json = false;
    int archive_after_hours = 0;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("--database-url", o->url, "Overrides DATABASE_URL");
  cmd->add_flag("--json", o->json, "Print the report as one JSON document");
  cmd->add_option("--archive-after-hours", o->archive_after_hours,
                  "Age that counts as archive backlog (default: ARCHIVE_AFTER_HOURS, else 72)")
      ->check(CLI::Range(1, 24 * 3650));
  cmd->callback([o] {
    if (o->archive_after_hours == 0) {
      core::EnvReader env;
      o->archive_after_hours = static_cast<int>(env.Int("ARCHIVE_AFTER_HOURS", 72, 1, 24 * 3650));
      if (auto s = env.Finish(); !s) {
        core::LogError("bad setting", {{"error", s.error().message}});
        throw CLI::RuntimeError(2);
      }
    }
    auto conn = ConnectOrExit(o->url);
    try {
      const std::string report =
          pg::FetchMonitorReport(*conn, std::chrono::hours(o->archive_after_hours));
      if (o->json) {
        std::cout << report << "\n";
        return;
      }
      auto text = pg::RenderMonitorReport(report);
      if (!text) throw core::Failure(text.error());
      std::cout << *text;
    } catch (const core::Failure& failure) {
      core::LogError("monitor failed", {{"error", failure.error().message}});
      throw CLI::RuntimeError(1);
    }
  });
}

void AddMaintain(CLI::App& db) {
  CLI::App* cmd = db.add_subcommand(
      "maintain",
      "Creates partitions ahead, refreshes the job statistics, applies aggregate and alert\n"
      "retention, generates alerts, ANALYZEs stale tables. Safe while the services run.");
  struct Options {
    std::string url;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("--database-url", o->url, "Overrides DATABASE_URL");
  cmd->add_flag("--json", o->json, "Print what was done as one JSON object");
  cmd->callback([o] {
    core::EnvReader env;
    const int max_age_days = static_cast<int>(env.Int("MAX_EVENT_AGE_DAYS", 30, 1, 3650));
    if (auto s = env.Finish(); !s) {
      core::LogError("bad setting", {{"error", s.error().message}});
      throw CLI::RuntimeError(2);
    }
    auto conn = ConnectOrExit(o->url);
    try {
      const pg::MaintenanceSummary s = pg::RunAllMaintenance(*conn, max_age_days);
      if (o->json) {
        std::cout << pg::ToJson(s) << "\n";
        return;
      }
      std::cout << "partitions created: " << s.partitions_created << "\n";
      for (const pg::AggregateRefresh& r : s.refreshed) {
        std::cout << "refreshed " << r.aggregate << ": " << r.buckets << " bucket(s)\n";
      }
      if (s.refreshed.empty()) {
        std::cout << "refresh: nothing to do here (TimescaleDB policies refresh, or another "
                     "refresh was running)\n";
      }
      std::cout << "retention: " << s.retention_rows_removed << " row(s) removed\n"
                << "alerts created: " << s.alerts_created << "\n"
                << "analyzed: " << s.analyzed.size() << " table(s)\n";
    } catch (const core::Failure& failure) {
      core::LogError("maintenance failed", {{"error", failure.error().message}});
      throw CLI::RuntimeError(1);
    }
  });
}

}  // namespace

void AddDbCommand(CLI::App& app) {
  CLI::App* db = app.add_subcommand("db", "Database operations: monitor, maintain.");
  db->require_subcommand(1);
  AddMonitor(*db);
  AddMaintain(*db);
}

}  // namespace dataplane::commands
