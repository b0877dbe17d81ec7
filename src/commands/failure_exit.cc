#include "commands/failure_exit.h"

#include <CLI/CLI.hpp>

#include "core/log.h"

namespace dataplane::commands {

void ExitWith(std::string_view what, const core::Error& error, int status) {
  core::LogError(what, {{"error", error.message}});
  throw CLI::RuntimeError(status);
}

}  // namespace dataplane::commands
