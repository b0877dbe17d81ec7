#include <CLI/CLI.hpp>

#include "central_api/central_api.h"
#include "commands/commands.h"
#include "commands/serve.h"

namespace dataplane::commands {

void AddCentralApiCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "central-api",
      "Run the Central API (cross-site queries and site health) on PORT (default 19000).\n"
      "Configuration comes from the environment: SITE_URLS (required: URLs, or name=URL pairs),\n"
      "PORT, BIND_ADDRESS, LOG_LEVEL, HTTP_THREADS, SITE_TIMEOUT_S, SITE_POLL_INTERVAL_S,\n"
      "SITE_TOKEN, SITE_MAX_ANSWER_BYTES, SITE_CIRCUIT_FAILURES, SITE_CIRCUIT_OPEN_S,\n"
      "SITE_CIRCUIT_MAX_OPEN_S, REQUEST_TIMEOUT_S (docs/operations.md).");
  cmd->callback([] {
    Serve<central_api::CentralApi, central_api::CentralApiConfig>("central api",
                                                                  central_api::ServiceMetrics);
  });
}

}  // namespace dataplane::commands
