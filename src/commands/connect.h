#pragma once
// The database connection of the one-shot commands (`migrate`, `db monitor`, `db maintain`).
#include <memory>
#include <string>

#include "pg/connection.h"

namespace dataplane::commands {

//! Connects to `url`, or to DATABASE_URL when `url` is empty. On failure logs why and throws
//! CLI::RuntimeError: exit status 2 when no URL is given, 1 when the database is unreachable.
std::unique_ptr<pg::Connection> ConnectOrExit(std::string url);

}  // namespace dataplane::commands
