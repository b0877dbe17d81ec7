#pragma once
// The decoded values of one column of one row group, as parquet::FileReader returns them, and
// the memory budget that bounds their decoding.
//
// ColumnData holds one entry per row: defined[i] is false for a NULL, and exactly one of the
// value vectors, the one of the column's type, also holds one entry per row (a NULL row holds
// the type's default: 0, false, or an empty string there). The vectors of the other types are
// empty. Which vector:
//   int64s   kInt64, kTimestamp (microseconds since the Unix epoch)
//   int32s   kInt32
//   doubles  kDouble
//   bools    kBoolean
//   bytes    kString, kJson (the text), kUuid (16 raw bytes)
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "parquet/reader_error.h"

namespace dataplane::parquet {

struct ColumnData {
  std::vector<bool> defined;
  std::vector<std::int64_t> int64s;
  std::vector<std::int32_t> int32s;
  std::vector<double> doubles;
  std::vector<bool> bools;
  std::vector<std::string> bytes;
};

struct RowGroupData {
  std::int64_t rows = 0;
  std::vector<ColumnData> columns;  // in FileReader::columns() order
};

//! The bytes that decoding may still allocate for values of variable size (string contents);
//! Spend fails (kTooLarge, code "parquet_too_large") once they are used up. Not thread-safe.
class MemoryBudget {
 public:
  explicit MemoryBudget(std::size_t bytes) : left_(bytes) {}

  core::Status Spend(std::size_t bytes) {
    if (bytes > left_) return ParquetTooLarge("a row group decodes past the reader's memory limit");
    left_ -= bytes;
    return core::OkStatus();
  }

 private:
  std::size_t left_;
};

}  // namespace dataplane::parquet
