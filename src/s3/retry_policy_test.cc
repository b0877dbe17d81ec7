#include "s3/retry_policy.h"

#include <gtest/gtest.h>

namespace dataplane::s3 {
namespace {

using std::chrono::milliseconds;

RetryPolicy Policy() {
  RetryPolicy policy;
  policy.max_attempts = 5;
  policy.initial_backoff = milliseconds(100);
  policy.max_backoff = milliseconds(1000);
  policy.multiplier = 2.0;
  return policy;
}

TEST(RetryPolicyTest, DelayGrowsExponentiallyWithinJitterBounds) {
  const RetryPolicy policy = Policy();
  EXPECT_EQ(policy.Delay(1, 0.0), milliseconds(50));
  EXPECT_EQ(policy.Delay(1, 0.999), milliseconds(99));
  EXPECT_EQ(policy.Delay(2, 0.0), milliseconds(100));
  EXPECT_EQ(policy.Delay(3, 0.0), milliseconds(200));
  EXPECT_EQ(policy.Delay(3, 0.5), milliseconds(300));
}

TEST(RetryPolicyTest, DelayIsCappedAtMaxBackoff) {
  const RetryPolicy policy = Policy();
  EXPECT_EQ(policy.Delay(5, 0.0), milliseconds(500));
  EXPECT_EQ(policy.Delay(10, 0.0), milliseconds(500));
  EXPECT_LE(policy.Delay(1000, 0.999), milliseconds(1000));
}

TEST(RetryPolicyTest, JitterSpreadsDelaysOfTheSameRetry) {
  const RetryPolicy policy = Policy();
  EXPECT_LT(policy.Delay(2, 0.1), policy.Delay(2, 0.9));
}

TEST(RetryPolicyTest, AttemptsStopAtMaxAttempts) {
  const RetryPolicy policy = Policy();
  EXPECT_TRUE(policy.MayRetryAfter(4));
  EXPECT_FALSE(policy.MayRetryAfter(5));
  RetryPolicy once;
  once.max_attempts = 1;
  EXPECT_FALSE(once.MayRetryAfter(1));
}

TEST(RetryPolicyTest, OnlyServerErrorsAreRetryable) {
  EXPECT_TRUE(IsRetryableStatus(500));
  EXPECT_TRUE(IsRetryableStatus(503));
  EXPECT_FALSE(IsRetryableStatus(400));
  EXPECT_FALSE(IsRetryableStatus(403));
  EXPECT_FALSE(IsRetryableStatus(404));
  EXPECT_FALSE(IsRetryableStatus(200));
}

}  // namespace
}  // namespace dataplane::s3
