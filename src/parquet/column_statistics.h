#pragma once
// StatisticsCollector: the Statistics of one column chunk (null_count, min_value, max_value),
// collected value by value. Orders: signed for INT32 / INT64 (numbers and timestamps), false <
// true for BOOLEAN, IEEE order for DOUBLE with NaN ignored (a chunk of NaNs and nulls has no
// min/max) and, as the format asks, a zero minimum written as -0.0 and a zero maximum as +0.0;
// unsigned lexicographic byte order for BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY. min/max are PLAIN
// encoded without a length prefix and are absent when the chunk has no (non-NaN) value.
// Not thread-safe.
#include <cstdint>
#include <string>
#include <string_view>

#include "parquet/parquet_metadata.h"

namespace dataplane::parquet {

class StatisticsCollector {
 public:
  //! Each Add* must match the column's physical type; mixing them is not checked.
  void AddNull() { ++null_count_; }
  void AddInt64(std::int64_t value);  // INT32 and BOOLEAN go through here too (see Finish)
  void AddDouble(double value);
  void AddBytes(std::string_view value);

  //! The statistics for a chunk of `type`; then the collector starts over.
  Statistics Finish(PhysicalType type);

 private:
  std::int64_t null_count_ = 0;
  bool has_value_ = false;
  std::int64_t min_int_ = 0;
  std::int64_t max_int_ = 0;
  double min_double_ = 0;
  double max_double_ = 0;
  std::string min_bytes_;
  std::string max_bytes_;
};

}  // namespace dataplane::parquet
