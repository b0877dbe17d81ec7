#include <iostream>

#include "commands/commands.h"
#include "commands/connect.h"
#include "commands/failure_exit.h"
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
    const pg::MigrationReport report =
        OrExit("migration failed", [&] { return pg::Migrate(*conn); });
    std::cout << "migrations: " << report.applied << " applied, " << report.skipped
              << " already current\n";
    std::cout << "backend: " << pg::Describe(report.backend) << "\n";
  });
}

}  // namespace dataplane::commands
