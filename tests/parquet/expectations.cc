#include "expectations.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace dataplane::parquet::readers {
namespace {

namespace json = boost::json;

class Mismatches {
 public:
  void Add(std::string line) {
    if (lines_.size() < kMaxMismatches) lines_.push_back(std::move(line));
  }
  void Expect(const std::string& where, const json::value& expected, const json::value& got) {
    if (!SameCanonical(expected, got)) {
      Add(where + ": expected " + Describe(expected) + ", got " + Describe(got));
    }
  }
  std::vector<std::string> Take() { return std::move(lines_); }

 private:
  std::vector<std::string> lines_;
};

const json::value kNull;

const json::value& Field(const json::value& object, std::string_view key) {
  if (!object.is_object()) return kNull;
  const auto* found = object.as_object().if_contains(key);
  return found == nullptr ? kNull : *found;
}

std::string Text(const json::value& value) {
  return value.is_string() ? std::string(value.get_string()) : "";
}

bool Ordered(ColumnType type, const Cell& a, const Cell& b) {
  if (type == ColumnType::kDouble) return std::get<double>(a) < std::get<double>(b);
  if (type == ColumnType::kBoolean) return !std::get<bool>(a) && std::get<bool>(b);
  if (std::holds_alternative<std::int64_t>(a)) {
    return std::get<std::int64_t>(a) < std::get<std::int64_t>(b);
  }
  return std::get<std::string>(a) < std::get<std::string>(b);  // unsigned byte order
}

struct ChunkStats {
  std::int64_t null_count = 0;
  std::optional<Cell> min, max;  // over non-null values, NaN left out (Parquet's rule)
};

ChunkStats StatsOf(const Table& table, std::size_t col, std::size_t begin, std::size_t end) {
  ChunkStats stats;
  const ColumnType type = table.columns[col].type;
  for (std::size_t r = begin; r < end; ++r) {
    const Cell& cell = table.rows[r][col];
    if (std::holds_alternative<std::monostate>(cell)) {
      ++stats.null_count;
      continue;
    }
    if (type == ColumnType::kDouble && std::isnan(std::get<double>(cell))) continue;
    if (!stats.min || Ordered(type, cell, *stats.min)) stats.min = cell;
    if (!stats.max || Ordered(type, *stats.max, cell)) stats.max = cell;
  }
  return stats;
}

// Doubles compare by value: Parquet lets a writer store -0.0 as min and +0.0 as max for zeros.
void ExpectBound(Mismatches& out, const std::string& where, ColumnType type,
                 const std::optional<Cell>& expected, const json::value& got, bool duckdb) {
  json::value want = expected ? Canonical(type, *expected) : json::value(nullptr);
  if (duckdb && type == ColumnType::kDouble && want.is_string()) want = nullptr;
  if (want.is_double() && got.is_double() && want.get_double() == got.get_double()) return;
  out.Expect(where, want, got);
}

struct TypeNames {
  const char* physical;
  const char* duckdb_type;
  const char* duckdb_logical;     // a part of parquet_schema's logical_type, or ""
  const char* hyparquet_logical;  // logical_type.type, or "" when not checked
};

TypeNames NamesOf(ColumnType type) {
  switch (type) {
    case ColumnType::kInt64:
      return {"INT64", "BIGINT", "", ""};
    case ColumnType::kInt32:
      return {"INT32", "INTEGER", "", ""};
    case ColumnType::kDouble:
      return {"DOUBLE", "DOUBLE", "", ""};
    case ColumnType::kBoolean:
      return {"BOOLEAN", "BOOLEAN", "", ""};
    case ColumnType::kString:
      return {"BYTE_ARRAY", "VARCHAR", "StringType()", "STRING"};
    case ColumnType::kJson:
      return {"BYTE_ARRAY", "JSON", "JsonType()", "JSON"};
    case ColumnType::kTimestamp:
      return {"INT64", "TIMESTAMP WITH TIME ZONE",
              "TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=<null>, "
              "MICROS=MicroSeconds(), NANOS=<null>))",
              "TIMESTAMP"};
    case ColumnType::kUuid:
      return {"FIXED_LEN_BYTE_ARRAY", "UUID", "UUIDType()", "UUID"};
  }
  return {"", "", "", ""};
}

void CompareColumnSchema(Mismatches& out, const ColumnSpec& spec, const json::value& got,
                         bool duckdb) {
  const std::string where = "schema of column '" + spec.name + "'";
  const TypeNames names = NamesOf(spec.type);
  out.Expect(where + " name", json::value(spec.name), Field(got, "name"));
  out.Expect(where + " type", json::value(names.physical), Field(got, "type"));
  out.Expect(where + " repetition_type", json::value(spec.nullable ? "OPTIONAL" : "REQUIRED"),
             Field(got, "repetition_type"));
  const json::value& logical = Field(got, "logical_type");
  if (duckdb) {
    out.Expect(where + " duckdb_type", json::value(names.duckdb_type), Field(got, "duckdb_type"));
    if (*names.duckdb_logical) {
      out.Expect(where + " logical_type", json::value(names.duckdb_logical), logical);
    }
  } else if (*names.hyparquet_logical) {
    out.Expect(where + " logical_type.type", json::value(names.hyparquet_logical),
               Field(logical, "type"));
  }
  if (spec.type == ColumnType::kUuid) {
    const json::value& length = Field(got, "type_length");
    const bool sixteen = length == json::value(16) || length == json::value("16");
    if (!sixteen) out.Add(where + " type_length: expected 16, got " + Describe(length));
  }
  if (spec.type == ColumnType::kTimestamp && !duckdb) {
    out.Expect(where + " logical_type.isAdjustedToUTC", true, Field(logical, "isAdjustedToUTC"));
    out.Expect(where + " logical_type.unit", json::value("MICROS"), Field(logical, "unit"));
  }
}

}  // namespace

std::vector<std::string> CompareRows(const Table& table, const json::value& doc) {
  Mismatches out;
  const json::value& rows = Field(doc, "rows");
  if (!rows.is_array() || rows.as_array().size() != table.rows.size()) {
    out.Add("rows: expected " + std::to_string(table.rows.size()) + " rows, got " +
            (rows.is_array() ? std::to_string(rows.as_array().size()) : Describe(rows)));
    return out.Take();
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const json::value& row = rows.as_array()[r];
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const json::value& got =
          row.is_array() && c < row.as_array().size() ? row.as_array()[c] : kNull;
      out.Expect("column '" + table.columns[c].name + "' row " + std::to_string(r),
                 Canonical(table.columns[c].type, table.rows[r][c]), got);
    }
  }
  return out.Take();
}

std::vector<std::string> CompareSchema(const Table& table, const json::value& doc, bool duckdb) {
  Mismatches out;
  const json::value& columns = Field(doc, "columns");
  if (!columns.is_array() || columns.as_array().size() != table.columns.size()) {
    out.Add("schema: expected " + std::to_string(table.columns.size()) + " columns, got " +
            Describe(columns));
    return out.Take();
  }
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    CompareColumnSchema(out, table.columns[c], columns.as_array()[c], duckdb);
  }
  return out.Take();
}

std::vector<std::string> CompareKeyValueMetadata(const WriterOptions& options,
                                                 const json::value& doc) {
  Mismatches out;
  json::array expected;
  for (const auto& [key, value] : options.key_value_metadata) expected.push_back({key, value});
  out.Expect("kv_metadata", expected, Field(doc, "kv_metadata"));
  return out.Take();
}

std::vector<std::string> CompareStatistics(const Table& table, std::size_t row_group_rows,
                                           const json::value& doc, bool duckdb) {
  Mismatches out;
  const std::size_t groups = (table.rows.size() + row_group_rows - 1) / row_group_rows;
  const json::value& chunks = Field(doc, "chunks");
  const std::size_t want = groups * table.columns.size();
  if (!chunks.is_array() || chunks.as_array().size() != want) {
    out.Add("chunks: expected " + std::to_string(want) + " column chunks (" +
            std::to_string(groups) + " row groups), got " +
            (chunks.is_array() ? std::to_string(chunks.as_array().size()) : Describe(chunks)));
    return out.Take();
  }
  for (std::size_t i = 0; i < want; ++i) {
    const std::size_t g = i / table.columns.size();
    const std::size_t c = i % table.columns.size();
    const json::value& chunk = chunks.as_array()[i];
    const ColumnSpec& spec = table.columns[c];
    const std::string where = "row group " + std::to_string(g) + " column '" + spec.name + "'";
    const std::size_t begin = g * row_group_rows;
    const ChunkStats stats =
        StatsOf(table, c, begin, std::min(begin + row_group_rows, table.rows.size()));
    out.Expect(where + " chunk", json::value(spec.name), Field(chunk, "column"));
    out.Expect(where + " row_group_id", static_cast<std::int64_t>(g), Field(chunk, "row_group_id"));
    out.Expect(where + " null_count", stats.null_count, Field(chunk, "null_count"));
    ExpectBound(out, where + " min", spec.type, stats.min, Field(chunk, "min"), duckdb);
    ExpectBound(out, where + " max", spec.type, stats.max, Field(chunk, "max"), duckdb);
  }
  return out.Take();
}

const json::value& FindChunk(const json::value& doc, const std::string& name, std::size_t group) {
  const json::value& chunks = Field(doc, "chunks");
  if (!chunks.is_array()) return kNull;
  for (const json::value& chunk : chunks.as_array()) {
    if (Text(Field(chunk, "column")) == name &&
        Field(chunk, "row_group_id") == json::value(static_cast<std::int64_t>(group))) {
      return chunk;
    }
  }
  return kNull;
}

std::vector<std::string> ChunkEncodings(const json::value& doc, const std::string& name,
                                        std::size_t group) {
  std::vector<std::string> encodings;
  const json::value& list = Field(FindChunk(doc, name, group), "encodings");
  if (!list.is_array()) return encodings;
  for (const json::value& e : list.as_array()) encodings.push_back(Text(e));
  return encodings;
}

std::vector<Page> ChunkPages(const json::value& doc, const std::string& name, std::size_t group) {
  std::vector<Page> pages;
  const json::value& list = Field(FindChunk(doc, name, group), "pages");
  if (!list.is_array()) return pages;
  for (const json::value& p : list.as_array()) {
    pages.push_back({Text(Field(p, "type")), Text(Field(p, "encoding"))});
  }
  return pages;
}

}  // namespace dataplane::parquet::readers
