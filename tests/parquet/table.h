#pragma once
// The tests' model of a table: its columns (parquet::ColumnSpec) and rows of Cells, written to a
// file with parquet::FileWriter, and each Cell's canonical JSON form as the readers print it
// (tests/parquet/readers/canonical.mjs): ints as numbers when |v| <= 2^53 - 1 else decimal
// strings; doubles as numbers, NaN/±Infinity as strings; timestamps as decimal strings of
// microseconds; UUIDs as lower-case 8-4-4-4-12 text; NULL as null.
//
// A Cell holds: monostate for NULL; int64 for kInt64, kInt32 and kTimestamp; double; bool;
// string for kString, kJson and kUuid (its 16 raw bytes).
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <boost/json/value.hpp>

#include "core/error.h"
#include "parquet/file_writer.h"

namespace dataplane::parquet::readers {

using Cell = std::variant<std::monostate, std::int64_t, double, bool, std::string>;

struct Table {
  std::vector<ColumnSpec> columns;
  std::vector<std::vector<Cell>> rows;
};

//! Writes `table` to a new file at `path`; the first Sink or writer error, if any.
core::Status WriteTable(const Table& table, const WriterOptions& options, const std::string& path);

//! The canonical JSON of `cell` in a column of `type`.
boost::json::value Canonical(ColumnType type, const Cell& cell);

//! True when the canonical values are the same; doubles compare bit for bit (-0.0 != 0.0).
bool SameCanonical(const boost::json::value& a, const boost::json::value& b);

//! `value` as text for a failure message; doubles in shortest round-trip form.
std::string Describe(const boost::json::value& value);

//! 16 bytes as lower-case 8-4-4-4-12 text.
std::string UuidText(const std::string& bytes);

}  // namespace dataplane::parquet::readers
