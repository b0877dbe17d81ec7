#include "pg/database_backend.h"

#include "core/log.h"

namespace dataplane::pg {

core::Result<DatabaseBackend> ReadDatabaseBackend(Connection& conn) {
  auto read = conn.TryExec(
      "SELECT dataplane_backend(), "
      "       (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'), "
      "       dataplane_backend_note()");
  if (!read) return read.error();
  const PgResult& r = *read;
  DatabaseBackend backend;
  backend.name = std::string(r.Text(0, 0));
  if (backend.name == "timescaledb" && !r.IsNull(0, 1)) backend.timescaledb_version = r.Text(0, 1);
  if (!r.IsNull(0, 2)) backend.note = r.Text(0, 2);
  return backend;
}

std::string Describe(const DatabaseBackend& backend) {
  std::string text = backend.name == "timescaledb" ? "timescaledb " + backend.timescaledb_version
                                                   : backend.name + " (native partitions)";
  return backend.note.empty() ? text : text + "; " + backend.note;
}

void LogDatabaseBackend(const DatabaseBackend& backend) {
  if (backend.note.empty()) {
    core::LogInfo("database backend", {{"backend", backend.name},
                                       {"timescaledb_version", backend.timescaledb_version}});
  } else {
    core::LogWarn("database backend", {{"backend", backend.name}, {"timescaledb", backend.note}});
  }
}

}  // namespace dataplane::pg
