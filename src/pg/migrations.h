#pragma once
// Schema migrations: the SQL files of database/sql (compiled in, see embedded_sql.h), applied
// in SPEC §5's order. Each applied file is recorded in schema_migrations with the md5 of its
// text. Migrate() is idempotent: a recorded file with an unchanged checksum is skipped; a file
// whose text changed is applied again (every file is written to be re-runnable) and its row
// updated. Concurrent Migrate() calls serialize on an advisory lock.
#include "core/error.h"
#include "pg/connection.h"
#include "pg/database_backend.h"

namespace dataplane::pg {

// The schema generation this binary needs (dataplane_schema_version(), defined last in
// timescaledb_enhancements.sql).
inline constexpr int kRequiredSchemaVersion = 5;

struct MigrationReport {
  int applied = 0;
  int skipped = 0;
  DatabaseBackend backend;  // which storage the migrated database uses
};

//! Applies the embedded SQL files, then logs which backend the database is on (a warning when
//! TimescaleDB is installed but not used, saying why). Throws core::Failure if a file fails
//! (its transaction is rolled back, so a file is applied whole or not at all).
MigrationReport Migrate(Connection& conn);

//! OK when the database carries the schema this binary needs; otherwise an error that tells
//! the operator to run `dataplane migrate`.
core::Status CheckSchema(Connection& conn);

}  // namespace dataplane::pg
