#include "central_api/circuit_breaker.h"

#include <gtest/gtest.h>

namespace dataplane::central_api {
namespace {

using std::chrono::seconds;
using State = CircuitBreaker::State;

CircuitOptions Options() {
  CircuitOptions o;
  o.failure_threshold = 3;
  o.base_backoff = seconds(5);
  o.max_backoff = seconds(12);
  return o;
}

TEST(CircuitBreaker, OpensAfterThresholdConsecutiveFailures) {
  CircuitBreaker breaker(Options());
  const auto t0 = CircuitBreaker::Clock::now();
  breaker.RecordFailure(t0);
  breaker.RecordFailure(t0);
  breaker.RecordSuccess();  // resets the count
  breaker.RecordFailure(t0);
  breaker.RecordFailure(t0);
  EXPECT_EQ(breaker.Get().state, State::kClosed);
  EXPECT_TRUE(breaker.Allow(t0));
  breaker.RecordFailure(t0);
  EXPECT_EQ(breaker.Get().state, State::kOpen);
  EXPECT_EQ(breaker.Get().consecutive_failures, 3);
  EXPECT_FALSE(breaker.Allow(t0 + seconds(4)));
}

TEST(CircuitBreaker, OneProbeAfterTheBackoffThenClosedOnSuccess) {
  CircuitBreaker breaker(Options());
  const auto t0 = CircuitBreaker::Clock::now();
  for (int i = 0; i < 3; ++i) breaker.RecordFailure(t0);
  EXPECT_TRUE(breaker.Allow(t0 + seconds(5)));  // the probe
  EXPECT_EQ(breaker.Get().state, State::kHalfOpen);
  EXPECT_FALSE(breaker.Allow(t0 + seconds(5)));  // nobody else while it is in flight
  breaker.RecordSuccess();
  EXPECT_EQ(breaker.Get().state, State::kClosed);
  EXPECT_EQ(breaker.Get().consecutive_failures, 0);
  EXPECT_TRUE(breaker.Allow(t0 + seconds(5)));
}

TEST(CircuitBreaker, AFailedProbeDoublesTheBackoffUpToTheMaximum) {
  CircuitBreaker breaker(Options());
  auto now = CircuitBreaker::Clock::now();
  for (int i = 0; i < 3; ++i) breaker.RecordFailure(now);
  EXPECT_EQ(breaker.Get().open_until, now + seconds(5));
  for (const int expected : {10, 12, 12}) {
    now = breaker.Get().open_until;
    ASSERT_TRUE(breaker.Allow(now));
    breaker.RecordFailure(now);
    EXPECT_EQ(breaker.Get().state, State::kOpen);
    EXPECT_EQ(breaker.Get().open_until, now + seconds(expected));
  }
  breaker.RecordSuccess();
  for (int i = 0; i < 3; ++i) breaker.RecordFailure(now);
  EXPECT_EQ(breaker.Get().open_until, now + seconds(5));  // the backoff starts over
}

TEST(CircuitBreaker, StateNames) {
  EXPECT_EQ(ToString(State::kClosed), "closed");
  EXPECT_EQ(ToString(State::kOpen), "open");
  EXPECT_EQ(ToString(State::kHalfOpen), "half_open");
}

}  // namespace
}  // namespace dataplane::central_api
