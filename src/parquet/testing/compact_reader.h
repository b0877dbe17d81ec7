#pragma once
// A minimal Thrift compact-protocol decoder for the parquet tests only: it turns bytes into a
// generic tree (structs by field id, lists, integers, binaries, bools) so that tests can check
// what the writer produced without a Parquet library. Malformed input throws std::runtime_error.
// It decodes what the writer emits (no maps, no sets of bools beyond the list rules).
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dataplane::parquet::testing {

struct TValue {
  int type = 0;        // the compact type nibble
  std::int64_t i = 0;  // integers; bools as 0/1
  std::string bin;
  std::vector<TValue> list;
  std::map<int, TValue> fields;

  const TValue& at(int id) const {
    auto it = fields.find(id);
    if (it == fields.end()) throw std::runtime_error("no field " + std::to_string(id));
    return it->second;
  }
  bool has(int id) const { return fields.count(id) != 0; }
};

class CompactReader {
 public:
  explicit CompactReader(std::string_view bytes) : bytes_(bytes) {}

  TValue ReadStruct() {
    TValue s;
    s.type = 12;
    int last = 0;
    for (;;) {
      const std::uint8_t header = Byte();
      if (header == 0) return s;
      const int type = header & 0x0F;
      const int delta = header >> 4;
      const int id = delta != 0 ? last + delta : static_cast<int>(ZigZag(Varint()));
      last = id;
      s.fields[id] = type == 1 || type == 2 ? Bool(type == 1) : ReadValue(type);
    }
  }

  std::size_t position() const { return pos_; }

 private:
  static TValue Bool(bool value) {
    TValue v;
    v.type = value ? 1 : 2;
    v.i = value ? 1 : 0;
    return v;
  }

  TValue ReadValue(int type) {
    TValue v;
    v.type = type;
    switch (type) {
      case 3:
        v.i = static_cast<std::int8_t>(Byte());
        break;
      case 4:
      case 5:
      case 6:
        v.i = ZigZag(Varint());
        break;
      case 8: {
        const std::uint64_t size = Varint();
        if (size > bytes_.size() - pos_) throw std::runtime_error("binary past the end");
        v.bin = std::string(bytes_.substr(pos_, size));
        pos_ += size;
        break;
      }
      case 9:
      case 10:
        ReadList(v);
        break;
      case 12:
        return ReadStruct();
      default:
        throw std::runtime_error("unsupported compact type " + std::to_string(type));
    }
    return v;
  }

  void ReadList(TValue& v) {
    const std::uint8_t header = Byte();
    std::uint64_t size = header >> 4;
    if (size == 15) size = Varint();
    const int element = header & 0x0F;
    for (std::uint64_t k = 0; k < size; ++k) {
      v.list.push_back(element == 1 || element == 2 ? Bool(Byte() == 1) : ReadValue(element));
    }
  }

  std::uint8_t Byte() {
    if (pos_ >= bytes_.size()) throw std::runtime_error("read past the end");
    return static_cast<std::uint8_t>(bytes_[pos_++]);
  }

  std::uint64_t Varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      const std::uint8_t b = Byte();
      value |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return value;
    }
    throw std::runtime_error("varint too long");
  }

  static std::int64_t ZigZag(std::uint64_t n) {
    return static_cast<std::int64_t>(n >> 1) ^ -static_cast<std::int64_t>(n & 1);
  }

  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace dataplane::parquet::testing
