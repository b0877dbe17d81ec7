#include "pg/binary_copy_reader.h"

#include <cstring>
#include <string>

#include "pg/binary_fields.h"

namespace dataplane::pg {
namespace {

constexpr std::string_view kSignature{"PGCOPY\n\377\r\n\0", 11};

core::Error Malformed(const std::string& what) {
  return {core::ErrorKind::kInternal, "bad_copy_stream", "binary COPY stream: " + what, {}};
}

// Takes `size` bytes off the front of `bytes`; false when there are fewer.
bool Take(std::string_view& bytes, std::size_t size, std::string_view& taken) {
  if (bytes.size() < size) return false;
  taken = bytes.substr(0, size);
  bytes.remove_prefix(size);
  return true;
}

}  // namespace

core::Status BinaryCopyReader::SkipHeader(std::string_view& message) {
  std::string_view signature, flags, extension_length, extension;
  if (!Take(message, kSignature.size(), signature) || signature != kSignature) {
    return Malformed("no PGCOPY signature");
  }
  if (!Take(message, 4, flags) || !Take(message, 4, extension_length)) {
    return Malformed("a truncated header");
  }
  const std::int64_t length = BinaryInt(extension_length);
  if (length < 0 || !Take(message, static_cast<std::size_t>(length), extension)) {
    return Malformed("a header extension past the message");
  }
  header_seen_ = true;
  return core::OkStatus();
}

core::Result<bool> BinaryCopyReader::Next(std::string_view message,
                                          std::vector<std::optional<std::string_view>>& row) {
  if (!header_seen_) {
    if (core::Status skipped = SkipHeader(message); !skipped) return skipped.error();
  }
  std::string_view count_bytes;
  if (!Take(message, 2, count_bytes)) return Malformed("a row without its field count");
  const std::int64_t count = BinaryInt(count_bytes);
  if (count == -1) return false;
  if (count != fields_) {
    return Malformed("a row of " + std::to_string(count) + " fields, expected " +
                     std::to_string(fields_));
  }
  row.assign(static_cast<std::size_t>(fields_), std::nullopt);
  for (int f = 0; f < fields_; ++f) {
    std::string_view length_bytes, value;
    if (!Take(message, 4, length_bytes)) return Malformed("a field without its length");
    const std::int64_t length = BinaryInt(length_bytes);
    if (length == -1) continue;
    if (length < 0 || !Take(message, static_cast<std::size_t>(length), value)) {
      return Malformed("a field past the end of its row");
    }
    row[static_cast<std::size_t>(f)] = value;
  }
  if (!message.empty()) return Malformed("bytes after the last field of a row");
  return true;
}

}  // namespace dataplane::pg
