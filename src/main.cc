// The `dataplane` executable: one binary, one subcommand per service or tool (SPEC §1).
#include <CLI/CLI.hpp>

#include "commands/commands.h"
#include "core/version.h"
#include "loadgen/loadgen_command.h"

int main(int argc, char** argv) {
  CLI::App app{"dataplane: the data plane of a fab monitoring stack"};
  app.set_version_flag("--version", dataplane::core::kVersion);
  app.require_subcommand(1);
  dataplane::commands::AddUpCommand(app);
  dataplane::commands::AddLocalApiCommand(app);
  dataplane::commands::AddCentralApiCommand(app);
  dataplane::commands::AddMigrateCommand(app);
  dataplane::commands::AddArchiverCommand(app);
  dataplane::commands::AddDbCommand(app);
  dataplane::loadgen::AddLoadgenCommand(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
