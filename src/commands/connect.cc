#include "commands/connect.h"

#include "commands/failure_exit.h"
#include "core/env_reader.h"

namespace dataplane::commands {

std::unique_ptr<pg::Connection> ConnectOrExit(std::string url) {
  if (url.empty()) url = core::EnvReader().String("DATABASE_URL", "");
  if (url.empty()) {
    ExitWith("DATABASE_URL is not set (or pass --database-url)",
             core::Error::Invalid("missing_setting", "DATABASE_URL", "no database URL"),
             kExitUsage);
  }
  auto conn = pg::Connection::Open({url});
  if (!conn) ExitWith("cannot connect", conn.error());
  return std::move(*conn);
}

}  // namespace dataplane::commands
