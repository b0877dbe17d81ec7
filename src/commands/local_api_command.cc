#include "commands/commands.h"
#include "commands/serve.h"
#include "local_api/local_api.h"

namespace dataplane::commands {

void AddLocalApiCommand(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "local-api",
      "Run a site's Local API (ingest and queries) on PORT (default 18000).\n"
      "Configuration comes from the environment: DATABASE_URL (required), DB_POOL_MIN_SIZE,\n"
      "DB_POOL_MAX_SIZE, PORT, SITE_ID, LOG_LEVEL, CACHE_TTL_S, MAX_FUTURE_SKEW_S,\n"
      "MAX_EVENT_AGE_DAYS, MAX_BODY_BYTES, MAX_BATCH_EVENTS, HTTP_THREADS, INGEST_WRITERS,\n"
      "INGEST_GROUP_MAX_EVENTS, INGEST_GROUP_WAIT_US, INGEST_QUEUE_MAX_EVENTS "
      "(docs/operations.md).");
  cmd->callback([] {
    Serve<local_api::LocalApi, local_api::LocalApiConfig>("local api", local_api::ServiceMetrics);
  });
}

}  // namespace dataplane::commands
