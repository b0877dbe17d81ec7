#include "pg/migrations.h"

#include "core/log.h"
#include "pg/database_backend.h"
#include "pg/embedded_sql.h"
#include "pg/sql_failure.h"

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
    if (auto set = conn.TryExec(statement); set) {
      ++applied;
    } else {
      core::LogInfo(Is(set.error(), SqlFailure::kInsufficientPrivilege)
                        ? "server setting not applied (set it as a superuser)"
                        : "server setting not applied",
                    {{"statement", statement}, {"reason", set.error().message}});
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
  report.backend = core::ValueOrThrow(ReadDatabaseBackend(conn));
  LogDatabaseBackend(report.backend);
  return report;
}

core::Status CheckSchema(Connection& conn) {
  auto defined = conn.TryExec("SELECT to_regproc('dataplane_schema_version') IS NOT NULL");
  if (!defined) return defined.error();
  std::int64_t version = 0;
  if (defined->Text(0, 0) == "t") {
    auto read = conn.TryExec("SELECT dataplane_schema_version()");
    if (!read) return read.error();
    version = read->Int64(0, 0);
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
