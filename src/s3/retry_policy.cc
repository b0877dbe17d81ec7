#include "s3/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace dataplane::s3 {

std::chrono::milliseconds RetryPolicy::Delay(int retry, double unit_random) const {
  const double initial = static_cast<double>(initial_backoff.count());
  const double cap = static_cast<double>(max_backoff.count());
  // Exponent clamped so a long retry series cannot overflow the double.
  const double grown = initial * std::pow(multiplier, std::clamp(retry - 1, 0, 60));
  const double step = std::min(cap, grown);
  const double random = std::clamp(unit_random, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(step / 2 + random * step / 2));
}

}  // namespace dataplane::s3
