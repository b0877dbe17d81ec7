#include <iostream>

#include "commands/commands.h"
#include "commands/connect.h"
#include "core/log.h"
#include "pg/migrations.h"

namespace dataplane::commands {

void AddMigrateCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "migrate",
      "Apply database/sql (schema, TimescaleDB enhancements, settings) to DATABASE_URL.\n"
      "Idempotent: files already applied with the same checksum are skipped.");
  auto url = std::make_shared<std::string>();
  cmd->add_option("--database-url", *url, "Overrides DATABASE_URL");
  cmd->callback([url] {
    auto conn = ConnectOrExit(*url);
    try {
      const pg::MigrationReport report = pg::Migrate(*conn);
      std::cout << "migrations: " << report.applied << " applied, " << report.skipped
                << " already current\n";
      std::cout << "backend: " << pg::Describe(report.backend) << "\n";
    } catch (const core::Failure& failure) {
      core::LogError("migration failed", {{"error", failure.error().message}});
      throw CLI::RuntimeError(1);
    }
  });
}

}  // namespace dataplane::commands
