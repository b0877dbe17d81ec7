#pragma once
// When the S3 client tries a request again, and how long it waits first.
//
// A request is retried on a 5xx answer, a timeout or a failed connection, never on a 4xx (the
// same request would be refused again). Delays grow exponentially from initial_backoff by
// `multiplier` per retry up to max_backoff, with "equal jitter": half of the step is fixed, the
// other half random, so clients that failed together do not come back together, yet never
// retry at once. A RetryPolicy is a value; Delay is a pure function of its arguments.
#include <chrono>

namespace dataplane::s3 {

struct RetryPolicy {
  int max_attempts = 4;  // attempts in all, the first included; 1 = never retry
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{5000};
  double multiplier = 2.0;

  //! The wait before retry number `retry` (1 = the second attempt); `unit_random` is a random
  //! number in [0, 1). Lies in [step / 2, step], step = min(max, initial * multiplier^(retry-1)).
  std::chrono::milliseconds Delay(int retry, double unit_random) const;

  //! Whether attempt number `attempt` (1-based) may be followed by another one.
  bool MayRetryAfter(int attempt) const { return attempt < max_attempts; }
};

//! Whether an HTTP status is worth a retry: every 5xx (500 InternalError, 503 SlowDown …).
inline bool IsRetryableStatus(long status) { return status >= 500 && status <= 599; }

}  // namespace dataplane::s3
