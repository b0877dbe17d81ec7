#pragma once
// The reverse of plain_encoder.h: `count` PLAIN values of one physical type decoded from the
// start of `data` and appended to the vector of `out` that holds that type (column_data.h:
// BOOLEAN -> bools, INT32 -> int32s, INT64 -> int64s, DOUBLE -> doubles, BYTE_ARRAY and
// FIXED_LEN_BYTE_ARRAY -> bytes). `type_length` is the size of a FIXED_LEN_BYTE_ARRAY value.
//
// Returns kMalformed (code "malformed_parquet") when `data` holds fewer than `count` values (or
// a BYTE_ARRAY length passes its end), unsupported for another physical type (INT96, FLOAT), and
// the budget's error when the bytes of BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY values pass it. Bytes
// after the `count`th value are ignored. Vectors are reserved only for as many values as `data`
// can hold; on an error some values may have been appended.
#include <cstddef>
#include <string_view>

#include "core/error.h"
#include "parquet/column_data.h"
#include "parquet/parquet_metadata.h"

namespace dataplane::parquet {

core::Status DecodePlain(PhysicalType type, std::size_t type_length, std::string_view data,
                         std::size_t count, ColumnData& out, MemoryBudget& budget);

}  // namespace dataplane::parquet
