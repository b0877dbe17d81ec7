#pragma once
// The tables parquet_readers_test writes. Deterministic (fixed seeds), so a failure names the
// same row every run.
//   EdgeTable: every type nullable and required; each column carries each of its edge values once
//     (int64 min/max and ±2^53±1, int32 min/max, -0.0, NaN, ±Infinity, denormals, DBL_MAX, empty
//     and non-ASCII strings, a JSON value over 1 MiB, timestamps 0001-01-01T00:00:00Z and
//     9999-12-31T23:59:59.999999Z, negative micros and 0, uuids 00…0 and ff…f), then a row of
//     NULLs in every nullable column, then seeded random rows with about 1 NULL in 6.
//   ManyRowGroupsTable: `rows` rows of the archiver's shape (id, time, low-cardinality dictionary
//     columns, doubles, free text, uuids), with NULLs.
//   OverflowTable: one dictionary column whose distinct values grow past any small
//     max_dictionary_bytes, beside one that stays small.
#include <cstdint>
#include <string>

#include "table.h"

namespace dataplane::parquet::readers {

inline constexpr std::int64_t kMinMicros = -62135596800000000;  // 0001-01-01T00:00:00Z
inline constexpr std::int64_t kMaxMicros = 253402300799999999;  // 9999-12-31T23:59:59.999999Z

Table EdgeTable();
Table ManyRowGroupsTable(std::size_t rows);
Table OverflowTable(std::size_t rows);

//! 16 bytes, big-endian hi then lo.
std::string Uuid(std::uint64_t hi, std::uint64_t lo);

}  // namespace dataplane::parquet::readers
