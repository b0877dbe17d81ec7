#include "parquet/plain_decoder.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace dataplane::parquet {
namespace {

core::Error RunsOut(std::size_t count) {
  return MalformedParquet("a page holds fewer than its " + std::to_string(count) + " PLAIN values");
}

std::uint64_t LittleEndian(const char* bytes, std::size_t size) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < size; ++i) {
    value |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(bytes[i])) << (8 * i);
  }
  return value;
}

template <typename T>
core::Status DecodeFixedWidth(std::string_view data, std::size_t count, std::vector<T>& out) {
  if (count > data.size() / sizeof(T)) return RunsOut(count);
  out.reserve(out.size() + count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint64_t bits = LittleEndian(data.data() + i * sizeof(T), sizeof(T));
    if constexpr (std::is_same_v<T, double>) {
      double value = 0;
      std::memcpy(&value, &bits, sizeof(value));
      out.push_back(value);
    } else {
      out.push_back(static_cast<T>(bits));
    }
  }
  return core::OkStatus();
}

core::Status DecodeBooleans(std::string_view data, std::size_t count, std::vector<bool>& out) {
  if ((count + 7) / 8 > data.size()) return RunsOut(count);
  out.reserve(out.size() + count);
  for (std::size_t i = 0; i < count; ++i) {
    out.push_back(((static_cast<std::uint8_t>(data[i / 8]) >> (i % 8)) & 1) != 0);
  }
  return core::OkStatus();
}

core::Status DecodeByteArrays(std::string_view data, std::size_t count,
                              std::vector<std::string>& out, MemoryBudget& budget) {
  if (count > data.size() / 4) return RunsOut(count);
  out.reserve(out.size() + count);
  std::size_t pos = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (data.size() - pos < 4) return RunsOut(count);
    const std::uint64_t length = LittleEndian(data.data() + pos, 4);
    pos += 4;
    if (length > data.size() - pos) return MalformedParquet("a BYTE_ARRAY passes its page");
    if (core::Status spent = budget.Spend(length); !spent) return spent;
    out.emplace_back(data.substr(pos, static_cast<std::size_t>(length)));
    pos += static_cast<std::size_t>(length);
  }
  return core::OkStatus();
}

core::Status DecodeFixedLength(std::string_view data, std::size_t type_length, std::size_t count,
                               std::vector<std::string>& out, MemoryBudget& budget) {
  if (type_length == 0) return MalformedParquet("a FIXED_LEN_BYTE_ARRAY of length 0");
  if (count > data.size() / type_length) return RunsOut(count);
  if (core::Status spent = budget.Spend(count * type_length); !spent) return spent;
  out.reserve(out.size() + count);
  for (std::size_t i = 0; i < count; ++i)
    out.emplace_back(data.substr(i * type_length, type_length));
  return core::OkStatus();
}

}  // namespace

core::Status DecodePlain(PhysicalType type, std::size_t type_length, std::string_view data,
                         std::size_t count, ColumnData& out, MemoryBudget& budget) {
  switch (type) {
    case PhysicalType::kBoolean:
      return DecodeBooleans(data, count, out.bools);
    case PhysicalType::kInt32:
      return DecodeFixedWidth(data, count, out.int32s);
    case PhysicalType::kInt64:
      return DecodeFixedWidth(data, count, out.int64s);
    case PhysicalType::kDouble:
      return DecodeFixedWidth(data, count, out.doubles);
    case PhysicalType::kByteArray:
      return DecodeByteArrays(data, count, out.bytes, budget);
    case PhysicalType::kFixedLenByteArray:
      return DecodeFixedLength(data, type_length, count, out.bytes, budget);
  }
  return UnsupportedParquet("physical type " + std::to_string(static_cast<int>(type)));
}

}  // namespace dataplane::parquet
