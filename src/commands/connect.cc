#include "commands/connect.h"

#include <CLI/CLI.hpp>

#include "core/env_reader.h"
#include "core/log.h"

namespace dataplane::commands {

std::unique_ptr<pg::Connection> ConnectOrExit(std::string url) {
  if (url.empty()) url = core::EnvReader().String("DATABASE_URL", "");
  if (url.empty()) {
    core::LogError("DATABASE_URL is not set (or pass --database-url)");
    throw CLI::RuntimeError(2);
  }
  auto conn = pg::Connection::Open({url});
  if (!conn) {
    core::LogError("cannot connect", {{"error", conn.error().message}});
    throw CLI::RuntimeError(1);
  }
  return std::move(*conn);
}

}  // namespace dataplane::commands
