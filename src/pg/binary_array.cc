#include "pg/binary_array.h"

namespace dataplane::pg {

// Dimensions (0 for an empty array), whether any element is NULL, the element type, then per
// dimension its length and lower bound (1), then the elements.
std::string BinaryArray::Take() {
  std::string elements = std::move(data_);
  const int count = values_;
  const bool has_null = has_null_;
  data_.clear();
  values_ = 0;
  has_null_ = false;
  AppendInt32(count == 0 ? 0 : 1);
  AppendInt32(has_null ? 1 : 0);
  AppendInt32(static_cast<std::int32_t>(type_));
  if (count > 0) {
    AppendInt32(count);
    AppendInt32(1);
  }
  std::string array = std::move(data_);
  array += elements;
  data_.clear();
  return array;
}

}  // namespace dataplane::pg
