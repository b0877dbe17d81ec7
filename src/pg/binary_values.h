#pragma once
// Values in PostgreSQL's binary wire format, each a 4-byte big-endian length (-1 for NULL)
// followed by the value in its type's receive format. A binary COPY row's fields and a binary
// array's elements are both such a sequence (pg/binary_copy.h, pg/binary_array.h).
//
// The server parses no timestamps, UUIDs or numbers from these and scans no text for escapes; it
// still checks every value (its length, a text's encoding, a jsonb's JSON), so a value of the
// wrong type fails the statement instead of storing something else.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace dataplane::pg {

//! PostgreSQL's binary timestamps count microseconds from 2000-01-01 00:00:00 UTC; this is that
//! instant in Unix microseconds (sent values subtract it, received ones add it: pg/result.h).
inline constexpr core::Micros kPgEpochInUnixMicros = 946'684'800'000'000;

class BinaryValues {
 public:
  void Null();
  //! text: the bytes as they are (UTF-8; nothing is escaped in this format).
  void Text(std::string_view value);
  void Text(const std::string& value) { Text(std::string_view(value)); }
  void Text(const char* value) { Text(std::string_view(value)); }
  void Text(const std::optional<std::string>& value) { value ? Text(*value) : Null(); }
  void Float8(double value);
  void Float8(const std::optional<double>& value) { value ? Float8(*value) : Null(); }
  void Int4(std::int32_t value);
  void Int8(std::int64_t value);
  void Bool(bool value);
  //! timestamptz from microseconds since the Unix epoch (sent as microseconds since 2000-01-01).
  void TimestampTz(core::Micros unix_micros);
  void TimestampTz(const std::optional<core::Micros>& value) {
    value ? TimestampTz(*value) : Null();
  }
  //! uuid from its canonical text (8-4-4-4-12 hex digits, as the event parser guarantees); any
  //! other text is sent as a value of the wrong length, which the server refuses.
  void Uuid(std::string_view canonical);
  void Uuid(const std::string& canonical) { Uuid(std::string_view(canonical)); }
  void Uuid(const char* canonical) { Uuid(std::string_view(canonical)); }
  void Uuid(const std::optional<std::string>& value) { value ? Uuid(*value) : Null(); }
  //! uuid from its 16 bytes (as Parquet's UUID stores it); another length is sent as it is,
  //! which the server refuses.
  void UuidBytes(std::string_view bytes) { Text(bytes); }
  //! jsonb: format version 1 followed by the JSON text.
  void Jsonb(std::string_view json_text);

  void Reserve(std::size_t bytes) { data_.reserve(bytes); }
  std::size_t size() const { return data_.size(); }
  //! How many values were appended.
  int values() const { return values_; }

 protected:
  explicit BinaryValues(std::string start) : data_(std::move(start)) {}

  //! Big-endian integers, appended to `out`.
  static void AppendInt16(std::string& out, std::int16_t value);
  static void AppendInt32(std::string& out, std::int32_t value);
  static void AppendInt64(std::string& out, std::int64_t value);

  std::string data_;
  int values_ = 0;
  bool has_null_ = false;
};

}  // namespace dataplane::pg
