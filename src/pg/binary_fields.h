#pragma once
// Values in PostgreSQL's binary send format, decoded (the reverse of pg/binary_values.h): what a
// binary result column (pg/result.h) or a field of a binary COPY row (pg/binary_copy_reader.h)
// holds. Each takes the field's bytes (never a NULL field); a field of the wrong length decodes
// to 0 (false), never past its bytes.
#include <cstdint>
#include <string_view>

#include "core/time.h"

namespace dataplane::pg {

//! int2, int4, int8 (and the raw int64 of a timestamptz): a big-endian two's complement integer
//! of the field's length (at most 8 bytes).
std::int64_t BinaryInt(std::string_view bytes);
double BinaryFloat8(std::string_view bytes);
bool BinaryBool(std::string_view bytes);
//! timestamptz as microseconds since the Unix epoch; ±infinity stay at the int64 extremes.
core::Micros BinaryTimestampTz(std::string_view bytes);
//! jsonb: the JSON text after the format version byte.
std::string_view BinaryJsonbText(std::string_view bytes);

}  // namespace dataplane::pg
