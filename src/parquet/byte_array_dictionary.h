#pragma once
// ByteArrayDictionary: the distinct values of one column chunk in first-seen order, as the
// index of each value and the PLAIN bytes of the dictionary page. Insert refuses (returns
// nullopt, changing nothing) a new value that would take the PLAIN size past `max_bytes`; the
// caller then falls back to PLAIN. Not thread-safe.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dataplane::parquet {

class ByteArrayDictionary {
 public:
  explicit ByteArrayDictionary(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  //! The index of `value`, adding it when new and when it fits.
  std::optional<std::uint32_t> Insert(std::string_view value);

  std::uint32_t size() const { return static_cast<std::uint32_t>(index_.size()); }
  //! The dictionary page's data: every value PLAIN encoded, in index order.
  const std::string& plain() const { return plain_; }
  void Clear();

 private:
  // Transparent, so that lookups by string_view need no copy of the value.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::size_t max_bytes_;
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> index_;
  std::string plain_;
};

}  // namespace dataplane::parquet
