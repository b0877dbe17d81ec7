#include <iostream>

#include "commands/commands.h"
#include "commands/connect.h"
#include "commands/failure_exit.h"
#include "commands/maintenance_summary_output.h"
#include "commands/monitor_report_text.h"
#include "core/env_reader.h"
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
      if (auto s = env.Finish(); !s) ExitWith("bad setting", s.error(), kExitUsage);
    }
    auto conn = ConnectOrExit(o->url);
    const std::string report = OrExit("monitor failed", [&] {
      return pg::FetchMonitorReport(*conn, std::chrono::hours(o->archive_after_hours));
    });
    if (o->json) {
      std::cout << report << "\n";
      return;
    }
    auto text = RenderMonitorReport(report);
    if (!text) ExitWith("monitor failed", text.error());
    std::cout << *text;
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
    auto conn = ConnectOrExit(o->url);
    const pg::MaintenanceSummary summary =
        OrExit("maintenance failed", [&] { return pg::RunAllMaintenance(*conn); });
    std::cout << (o->json ? MaintenanceSummaryJson(summary) + "\n"
                          : MaintenanceSummaryText(summary));
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
