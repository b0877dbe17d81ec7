#include "pg/migrations.h"

#include "core/log.h"
#include "pg/database_backend.h"
#include "pg/embedded_sql.h"

namespace dataplane::pg {
namespace {

constexpr std::int64_t kMigrationLockId = 0x64617461706c616e;  // "dataplan"

void EnsureMigrationsTable(Connection& conn) {
  conn.Exec(
      "SET client_min_messages = warning;"
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      "  name text PRIMARY KEY, checksum text NOT NULL,"
      "  applied_at timestamptz NOT NULL DEFAULT now())");
}

bool IsCurrent(Connection& conn, const SqlFile& file) {
  PgResult r = conn.Exec("SELECT checksum = md5($1) FROM schema_migrations WHERE name = $2",
                         {std::string(file.text), std::string(file.name)});
  return r.Rows() == 1 && r.Bool(0, 0);
}

void Apply(Connection& conn, const SqlFile& file) {
  conn.Exec("BEGIN");
  try {
    conn.Exec(file.text);
    conn.Exec(
        "INSERT INTO schema_migrations (name, checksum) VALUES ($1, md5($2)) "
        "ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()",
        {std::string(file.name), std::string(file.text)});
    conn.Exec("COMMIT");
  } catch (...) {
    conn.ResetTransaction();
    throw;
  }
}

// The server-scope recommendations of timescaledb_config.sql, which PostgreSQL only accepts as
// top-level ALTER SYSTEM statements. Each is tried on its own; one the role may not set is
// reported and skipped.
void ApplyServerSettings(Connection& conn) {
  PgResult statements = conn.Exec(
      "SELECT format('ALTER SYSTEM SET %I = %L', name, recommended) "
      "FROM dataplane_recommended_settings() WHERE scope = 'server'");
  int applied = 0;
  for (int row = 0; row < statements.Rows(); ++row) {
    const std::string statement(statements.Text(row, 0));
    try {
      conn.Exec(statement);
      ++applied;
    } catch (const core::Failure& failure) {
      core::LogInfo("server setting not applied (set it as a superuser)",
                    {{"statement", statement}, {"reason", failure.error().message}});
    }
  }
  if (applied > 0) conn.Exec("SELECT pg_reload_conf()");
}

}  // namespace

MigrationReport Migrate(Connection& conn) {
  EnsureMigrationsTable(conn);
  conn.Exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLockId) + ")");
  MigrationReport report;
  try {
    for (const SqlFile& file : EmbeddedSqlFiles()) {
      if (IsCurrent(conn, file)) {
        ++report.skipped;
        continue;
      }
      Apply(conn, file);
      if (file.name == std::string_view("timescaledb_config.sql")) ApplyServerSettings(conn);
      core::LogInfo("migration applied", {{"file", file.name}});
      ++report.applied;
    }
  } catch (...) {
    conn.Exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockId) + ")");
    throw;
  }
  conn.Exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockId) + ")");
  report.backend = ReadDatabaseBackend(conn);
  LogDatabaseBackend(report.backend);
  return report;
}

core::Status CheckSchema(Connection& conn) {
  std::int64_t version = 0;
  if (!conn.Exec("SELECT to_regproc('dataplane_schema_version')").IsNull(0, 0)) {
    version = conn.Exec("SELECT dataplane_schema_version()").Int64(0, 0);
  }
  if (version >= kRequiredSchemaVersion) return core::OkStatus();
  return core::Error{core::ErrorKind::kUnavailable,
                     "schema_missing",
                     "the database has schema version " + std::to_string(version) +
                         ", this dataplane needs " + std::to_string(kRequiredSchemaVersion) +
                         ": run `dataplane migrate` (or apply database/sql/*.sql with psql)",
                     {}};
}

}  // namespace dataplane::pg
