#pragma once
// What a reader's document (tests/parquet/readers/README.md) must say about a file written from
// a Table: every value of every row, the schema's physical and logical types, the key/value
// metadata, and per column chunk the statistics (null_count, min, max) of the rows it holds.
// Each function returns one line per disagreement ("column 'd' row 17: expected …, got …"),
// empty when the reader agrees; at most kMaxMismatches lines, so a broken file stays readable.
#include <cstddef>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "parquet/file_writer.h"
#include "table.h"

namespace dataplane::parquet::readers {

inline constexpr std::size_t kMaxMismatches = 12;

std::vector<std::string> CompareRows(const Table& table, const boost::json::value& doc);

//! `duckdb`: DuckDB's parquet_schema text; else hyparquet's schema elements.
std::vector<std::string> CompareSchema(const Table& table, const boost::json::value& doc,
                                       bool duckdb);

std::vector<std::string> CompareKeyValueMetadata(const WriterOptions& options,
                                                 const boost::json::value& doc);

//! Row group g holds rows [g * row_group_rows, (g + 1) * row_group_rows). `duckdb`: DuckDB's
//! parquet_metadata shows a double bound that is ±Infinity as NULL (it does so for files DuckDB
//! writes too), so there an infinite bound must be null; hyparquet must show it exactly.
std::vector<std::string> CompareStatistics(const Table& table, std::size_t row_group_rows,
                                           const boost::json::value& doc, bool duckdb);

//! The encodings the reader reports for column `name` in row group `group`.
std::vector<std::string> ChunkEncodings(const boost::json::value& doc, const std::string& name,
                                        std::size_t group);

struct Page {
  std::string type;      // DICTIONARY_PAGE, DATA_PAGE, DATA_PAGE_V2
  std::string encoding;  // PLAIN, RLE_DICTIONARY, …
};

//! The pages hyparquet's page walk reports for column `name` in row group `group`, in file order.
std::vector<Page> ChunkPages(const boost::json::value& doc, const std::string& name,
                             std::size_t group);

}  // namespace dataplane::parquet::readers
