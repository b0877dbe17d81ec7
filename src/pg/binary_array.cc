#include "pg/binary_array.h"

namespace dataplane::pg {

// Dimensions (0 for an empty array), whether any element is NULL, the element type, then per
// dimension its length and lower bound (1), then the elements.
std::string BinaryArray::Take() {
  std::string array;
  array.reserve(20 + data_.size());
  AppendInt32(array, values_ == 0 ? 0 : 1);
  AppendInt32(array, has_null_ ? 1 : 0);
  AppendInt32(array, static_cast<std::int32_t>(type_));
  if (values_ > 0) {
    AppendInt32(array, values_);
    AppendInt32(array, 1);
  }
  array += data_;
  data_.clear();
  values_ = 0;
  has_null_ = false;
  return array;
}

}  // namespace dataplane::pg
