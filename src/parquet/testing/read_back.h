#pragma once
// Tests only: rows written with parquet::FileWriter and read back with parquet::FileReader as
// plain values, for the reader's tests (file_reader_test.cc, file_reader_hand_built_test.cc).
// A Cell is one value or NULL; ReadAll checks on the way that each ColumnData holds one entry
// per row in its type's vector only.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "parquet/file_reader.h"
#include "parquet/file_writer.h"
#include "parquet/random_access_source.h"
#include "parquet/testing/string_sink.h"

namespace dataplane::parquet::testing {

using Value = std::variant<std::int64_t, std::int32_t, double, bool, std::string>;
using Cell = std::optional<Value>;  // nullopt: NULL
using Row = std::vector<Cell>;

inline void Append(FileWriter& w, int col, ColumnType type, const Cell& cell) {
  if (!cell) return w.AppendNull(col);
  switch (type) {
    case ColumnType::kInt64:
    case ColumnType::kTimestamp:
      return w.AppendInt64(col, std::get<std::int64_t>(*cell));
    case ColumnType::kInt32:
      return w.AppendInt32(col, std::get<std::int32_t>(*cell));
    case ColumnType::kDouble:
      return w.AppendDouble(col, std::get<double>(*cell));
    case ColumnType::kBoolean:
      return w.AppendBool(col, std::get<bool>(*cell));
    case ColumnType::kString:
    case ColumnType::kJson:
    case ColumnType::kUuid:
      return w.AppendBytes(col, std::get<std::string>(*cell));
  }
}

inline std::string WriteFile(const std::vector<ColumnSpec>& columns, const std::vector<Row>& rows,
                             WriterOptions options = {}) {
  StringSink sink;
  FileWriter w(columns, std::move(options), sink);
  for (const Row& row : rows) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      Append(w, static_cast<int>(c), columns[c].type, row[c]);
    }
    EXPECT_TRUE(w.EndRow().ok());
  }
  EXPECT_TRUE(w.Close().ok());
  return sink.data;
}

inline Cell CellAt(ColumnType type, const ColumnData& data, std::size_t row) {
  if (!data.defined.at(row)) return std::nullopt;
  switch (type) {
    case ColumnType::kInt64:
    case ColumnType::kTimestamp:
      return data.int64s.at(row);
    case ColumnType::kInt32:
      return data.int32s.at(row);
    case ColumnType::kDouble:
      return data.doubles.at(row);
    case ColumnType::kBoolean:
      return static_cast<bool>(data.bools.at(row));
    case ColumnType::kString:
    case ColumnType::kJson:
    case ColumnType::kUuid:
      return data.bytes.at(row);
  }
  return std::nullopt;
}

// Every row of the file, checking on the way that each ColumnData has one entry per row in its
// type's vector only.
inline core::Result<std::vector<Row>> ReadAll(FileReader& reader) {
  std::vector<Row> rows;
  for (int g = 0; g < reader.num_row_groups(); ++g) {
    core::Result<RowGroupData> group = reader.ReadRowGroup(g);
    if (!group) return group.error();
    EXPECT_EQ(group->columns.size(), reader.columns().size());
    const auto count = static_cast<std::size_t>(group->rows);
    for (const ColumnData& c : group->columns) {
      EXPECT_EQ(c.defined.size(), count);
      EXPECT_EQ(
          c.int64s.size() + c.int32s.size() + c.doubles.size() + c.bools.size() + c.bytes.size(),
          count);
    }
    for (std::size_t r = 0; r < count; ++r) {
      Row row;
      for (std::size_t c = 0; c < reader.columns().size(); ++c) {
        row.push_back(CellAt(reader.columns()[c].type, group->columns[c], r));
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

inline core::Result<std::vector<Row>> ReadBytes(const std::string& file) {
  StringSource source(file);
  core::Result<FileReader> reader = FileReader::Open(source);
  if (!reader) return reader.error();
  return ReadAll(*reader);
}

}  // namespace dataplane::parquet::testing
