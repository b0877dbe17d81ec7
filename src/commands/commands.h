#pragma once
// Registration of the `dataplane` subcommands. Each Add*Command adds one subcommand whose
// callback runs it; a failure is reported on stderr (one JSON log line) and the process exits
// non-zero through CLI::RuntimeError.
#include <CLI/CLI.hpp>

namespace dataplane::commands {

void AddArchiverCommand(CLI::App& app);
void AddCentralApiCommand(CLI::App& app);
void AddDbCommand(CLI::App& app);
void AddLocalApiCommand(CLI::App& app);
void AddMigrateCommand(CLI::App& app);
void AddUpCommand(CLI::App& app);

}  // namespace dataplane::commands
