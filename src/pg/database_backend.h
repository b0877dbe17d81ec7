#pragma once
// Which storage a migrated database uses, as schema.sql fixed it when the tables were first
// created: "timescaledb" (hypertables, continuous aggregates, compression) or "postgres"
// (native daily partitions, rollup tables). Read by `dataplane migrate` (a log line), `dataplane
// db monitor`, and the Local API at start (healthz, /metrics).
#include <string>

#include "pg/connection.h"

namespace dataplane::pg {

struct DatabaseBackend {
  std::string name;                 // "timescaledb" or "postgres"
  std::string timescaledb_version;  // the created extension's version; empty when none
  //! Why a database with TimescaleDB installed is not on it, and how to change that (e.g.
  //! "installed but not preloaded"); empty otherwise.
  std::string note;
};

//! Reads dataplane_backend() and friends; throws core::Failure when the database fails.
core::Result<DatabaseBackend> ReadDatabaseBackend(Connection& conn);

//! For people: "timescaledb 2.28.3" or "postgres (native partitions)", then "; <note>" if any.
std::string Describe(const DatabaseBackend& backend);

//! Logs the backend: info, or warn when there is a note.
void LogDatabaseBackend(const DatabaseBackend& backend);

}  // namespace dataplane::pg
