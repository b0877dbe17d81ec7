#include "parquet/column_statistics.h"

#include <cmath>
#include <cstring>

#include "parquet/plain_encoder.h"

namespace dataplane::parquet {
namespace {

// std::string_view's order depends on char's signedness; the format wants unsigned bytes.
int CompareUnsigned(std::string_view a, std::string_view b) {
  const std::size_t common = a.size() < b.size() ? a.size() : b.size();
  const int c = common == 0 ? 0 : std::memcmp(a.data(), b.data(), common);
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

}  // namespace

void StatisticsCollector::AddInt64(std::int64_t value) {
  if (!has_value_ || value < min_int_) min_int_ = value;
  if (!has_value_ || value > max_int_) max_int_ = value;
  has_value_ = true;
}

void StatisticsCollector::AddDouble(double value) {
  if (std::isnan(value)) return;
  if (!has_value_ || value < min_double_) min_double_ = value;
  if (!has_value_ || value > max_double_) max_double_ = value;
  has_value_ = true;
}

void StatisticsCollector::AddBytes(std::string_view value) {
  if (!has_value_ || CompareUnsigned(value, min_bytes_) < 0) min_bytes_.assign(value);
  if (!has_value_ || CompareUnsigned(value, max_bytes_) > 0) max_bytes_.assign(value);
  has_value_ = true;
}

Statistics StatisticsCollector::Finish(PhysicalType type) {
  Statistics stats;
  stats.null_count = null_count_;
  if (has_value_) {
    std::string min;
    std::string max;
    switch (type) {
      case PhysicalType::kBoolean:
        min.push_back(static_cast<char>(min_int_ != 0));
        max.push_back(static_cast<char>(max_int_ != 0));
        break;
      case PhysicalType::kInt32:
        AppendPlainInt32(static_cast<std::int32_t>(min_int_), min);
        AppendPlainInt32(static_cast<std::int32_t>(max_int_), max);
        break;
      case PhysicalType::kInt64:
        AppendPlainInt64(min_int_, min);
        AppendPlainInt64(max_int_, max);
        break;
      case PhysicalType::kDouble:
        // A reader comparing against -0.0 or +0.0 must not skip a chunk whose bound is zero.
        AppendPlainDouble(min_double_ == 0.0 ? -0.0 : min_double_, min);
        AppendPlainDouble(max_double_ == 0.0 ? +0.0 : max_double_, max);
        break;
      case PhysicalType::kByteArray:
      case PhysicalType::kFixedLenByteArray:
        min = std::move(min_bytes_);
        max = std::move(max_bytes_);
        break;
    }
    stats.min_value = std::move(min);
    stats.max_value = std::move(max);
  }
  *this = StatisticsCollector();
  return stats;
}

}  // namespace dataplane::parquet
