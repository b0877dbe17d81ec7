#pragma once
// The SQL files of database/sql, compiled into the binary in the order they are applied.
#include <string_view>
#include <vector>

namespace dataplane::pg {

struct SqlFile {
  std::string_view name;  // e.g. "schema.sql"
  std::string_view text;
};

const std::vector<SqlFile>& EmbeddedSqlFiles();

}  // namespace dataplane::pg
