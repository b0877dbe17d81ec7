#include "archiver/restore_rows.h"

#include <limits>
#include <string>

namespace dataplane::archiver {
namespace {

core::Error Unrestorable(const std::string& column, const std::string& why) {
  return {core::ErrorKind::kInternal, "unrestorable_column",
          "the archived column '" + column + "' cannot be restored: " + why, column};
}

int FindByName(const std::vector<parquet::ColumnSpec>& file, const std::string& name) {
  for (std::size_t i = 0; i < file.size(); ++i) {
    if (file[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

bool InLayout(const TableLayout& layout, const std::string& name) {
  for (const TableColumn& column : layout.columns) {
    if (column.name == name) return true;
  }
  return false;
}

core::Status AppendValue(const TableColumn& column, const parquet::ColumnData& data,
                         std::size_t row, pg::BinaryCopy& out) {
  if (!data.defined[row]) {
    out.Null();
    return core::OkStatus();
  }
  switch (column.type) {
    case SqlType::kText:
      out.Text(data.bytes[row]);
      break;
    case SqlType::kJsonb:
      out.Jsonb(data.bytes[row]);
      break;
    case SqlType::kUuid:
      if (data.bytes[row].size() != 16) return Unrestorable(column.name, "a uuid of other length");
      out.UuidBytes(data.bytes[row]);
      break;
    case SqlType::kTimestampTz:
      out.TimestampTz(data.int64s[row]);
      break;
    case SqlType::kFloat8:
      out.Float8(data.doubles[row]);
      break;
    case SqlType::kInt4: {
      const std::int64_t value = data.int64s[row];
      if (value < std::numeric_limits<std::int32_t>::min() ||
          value > std::numeric_limits<std::int32_t>::max()) {
        return Unrestorable(column.name, std::to_string(value) + " is out of integer's range");
      }
      out.Int4(static_cast<std::int32_t>(value));
      break;
    }
    case SqlType::kInt8:
      out.Int8(data.int64s[row]);
      break;
    case SqlType::kBool:
      out.Bool(data.bools[row]);
      break;
  }
  return core::OkStatus();
}

}  // namespace

core::Result<std::vector<int>> MatchFileColumns(const TableLayout& layout,
                                                const std::vector<parquet::ColumnSpec>& file) {
  for (const parquet::ColumnSpec& spec : file) {
    if (!InLayout(layout, spec.name))
      return Unrestorable(spec.name, "the table has no such column");
  }
  std::vector<int> matched;
  for (std::size_t i = 0; i < layout.columns.size(); ++i) {
    const TableColumn& column = layout.columns[i];
    const int index = FindByName(file, column.name);
    if (index < 0 && column.not_null) {
      return Unrestorable(column.name, "the file lacks this NOT NULL column");
    }
    if (index >= 0 && file[index].type != layout.specs[i].type) {
      return Unrestorable(column.name, "its Parquet type is not the one the table archives to");
    }
    matched.push_back(index);
  }
  return matched;
}

core::Status AppendRestoredRows(const TableLayout& layout, const std::vector<int>& file_columns,
                                const parquet::RowGroupData& group, pg::BinaryCopy& out) {
  const auto rows = static_cast<std::size_t>(group.rows);
  for (std::size_t row = 0; row < rows; ++row) {
    out.BeginRow(static_cast<int>(layout.columns.size()));
    for (std::size_t i = 0; i < layout.columns.size(); ++i) {
      if (file_columns[i] < 0) {
        out.Null();
        continue;
      }
      const parquet::ColumnData& data = group.columns[static_cast<std::size_t>(file_columns[i])];
      if (core::Status appended = AppendValue(layout.columns[i], data, row, out); !appended) {
        return appended;
      }
    }
  }
  return core::OkStatus();
}

}  // namespace dataplane::archiver
