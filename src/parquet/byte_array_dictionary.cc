#include "parquet/byte_array_dictionary.h"

#include "parquet/plain_encoder.h"

namespace dataplane::parquet {

std::optional<std::uint32_t> ByteArrayDictionary::Insert(std::string_view value) {
  if (auto it = index_.find(value); it != index_.end()) return it->second;
  if (plain_.size() + 4 + value.size() > max_bytes_) return std::nullopt;
  const auto index = static_cast<std::uint32_t>(index_.size());
  AppendPlainByteArray(value, plain_);
  index_.emplace(std::string(value), index);
  return index;
}

void ByteArrayDictionary::Clear() {
  index_.clear();
  plain_.clear();
}

}  // namespace dataplane::parquet
