#include "archiver/table_columns.h"

#include <algorithm>
#include <array>
#include <utility>

namespace dataplane::archiver {
namespace {

parquet::ColumnType ParquetTypeOf(SqlType type) {
  switch (type) {
    case SqlType::kText:
      return parquet::ColumnType::kString;
    case SqlType::kTimestampTz:
      return parquet::ColumnType::kTimestamp;
    case SqlType::kUuid:
      return parquet::ColumnType::kUuid;
    case SqlType::kFloat8:
      return parquet::ColumnType::kDouble;
    case SqlType::kInt4:
    case SqlType::kInt8:
      return parquet::ColumnType::kInt64;
    case SqlType::kJsonb:
      return parquet::ColumnType::kJson;
    case SqlType::kBool:
      return parquet::ColumnType::kBoolean;
  }
  return parquet::ColumnType::kString;
}

bool Listed(const std::vector<std::string_view>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::string QuoteIdentifier(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

core::Result<SqlType> SqlTypeOf(const std::string& type_name) {
  static constexpr std::array<std::pair<std::string_view, SqlType>, 8> kTypes = {{
      {"text", SqlType::kText},
      {"timestamp with time zone", SqlType::kTimestampTz},
      {"uuid", SqlType::kUuid},
      {"double precision", SqlType::kFloat8},
      {"integer", SqlType::kInt4},
      {"bigint", SqlType::kInt8},
      {"jsonb", SqlType::kJsonb},
      {"boolean", SqlType::kBool},
  }};
  for (const auto& [name, type] : kTypes) {
    if (name == type_name) return type;
  }
  return core::Error{core::ErrorKind::kInternal,
                     "unarchivable_column",
                     "the archiver cannot store a column of type '" + type_name + "'",
                     {}};
}

core::Result<TableLayout> ReadTableLayout(pg::Connection& conn, const ArchivedTable& table) {
  auto read = conn.TryExec(
      "SELECT attname::text, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute "
      "WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
      {std::string(table.name)});
  if (!read) return read.error();
  TableLayout layout;
  for (int row = 0; row < read->Rows(); ++row) {
    TableColumn column{std::string(read->Text(row, 0)), SqlType::kText, read->Bool(row, 2)};
    auto type = SqlTypeOf(std::string(read->Text(row, 1)));
    if (!type) {
      core::Error error = type.error();
      error.message += " (" + std::string(table.name) + "." + column.name + ")";
      return error;
    }
    column.type = *type;
    const int index = static_cast<int>(layout.columns.size());
    if (column.name == "site_id") layout.site_column = index;
    if (column.name == table.time_column) layout.time_column = index;
    if (column.name == "event_count") layout.event_count_column = index;
    parquet::ColumnSpec spec{
        column.name, ParquetTypeOf(column.type), !column.not_null,
        column.type == SqlType::kText && Listed(table.dictionary_columns, column.name),
        Listed(table.bloom_columns, column.name)};
    layout.specs.push_back(std::move(spec));
    layout.columns.push_back(std::move(column));
  }
  if (layout.site_column < 0 || layout.time_column < 0 ||
      (table.rule == RowRule::kTerminalQuiet && layout.event_count_column < 0)) {
    return core::Error{core::ErrorKind::kInternal,
                       "unarchivable_table",
                       "table " + std::string(table.name) +
                           " lacks the columns the archiver needs (site_id, " +
                           std::string(table.time_column) + ", event_count for state tables)",
                       {}};
  }
  return layout;
}

std::string SelectList(const TableLayout& layout) {
  std::string list;
  for (const TableColumn& column : layout.columns) {
    if (!list.empty()) list += ", ";
    list += QuoteIdentifier(column.name);
  }
  return list;
}

}  // namespace dataplane::archiver
