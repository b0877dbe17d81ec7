// The `dataplane` executable: one binary, one subcommand per service or tool (SPEC §1).
#include <CLI/CLI.hpp>

#include "commands/commands.h"
#include "commands/failure_exit.h"
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& stop) {
    return stop.get_exit_code();  // a command's own exit status (commands/failure_exit.h)
  } catch (const CLI::ParseError& error) {
    // --help and --version exit 0; a usage mistake (an unknown, missing or invalid option)
    // exits 2 after CLI11's message, as commands/failure_exit.h promises.
    return app.exit(error) == 0 ? 0 : dataplane::commands::kExitUsage;
  }
  return 0;
}
