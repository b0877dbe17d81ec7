#include "http/retry_after.h"

#include <gtest/gtest.h>

namespace dataplane::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using namespace std::chrono_literals;

// 1994-11-06T08:49:37Z, the RFC's example instant.
const std::chrono::system_clock::time_point kExample =
    std::chrono::sys_days{std::chrono::year{1994} / 11 / 6} + 8h + 49min + 37s;

TEST(RetryAfterTest, DeltaSeconds) {
  EXPECT_EQ(RetryAfterDelay("3", 1s, 10s), seconds(3));
  EXPECT_EQ(RetryAfterDelay("0", 1s, 10s), milliseconds(0));
  EXPECT_EQ(RetryAfterDelay(" 2\t", 1s, 10s), seconds(2));
}

TEST(RetryAfterTest, CappedByTheMaximum) {
  EXPECT_EQ(RetryAfterDelay("120", 1s, 5s), seconds(5));
  EXPECT_EQ(RetryAfterDelay("99999999999999999999999999", 1s, 5s), seconds(5));
  EXPECT_EQ(RetryAfterDelay("", 30s, 5s), seconds(5));
}

TEST(RetryAfterTest, AbsentOrInvalidIsTheFallback) {
  for (const char* bad : {"", "-1", "1.5", "soon", "3s", "Sun, 06 Nov 1994 08:49:37 UTC",
                          "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:00:00 GMT"}) {
    EXPECT_EQ(RetryAfterDelay(bad, 1500ms, 10s), milliseconds(1500)) << bad;
  }
}

TEST(RetryAfterTest, HttpDateIsADelayFromNow) {
  EXPECT_EQ(RetryAfterDelay("Sun, 06 Nov 1994 08:49:37 GMT", 1s, 60s, kExample - 7s), seconds(7));
  EXPECT_EQ(RetryAfterDelay("Sun, 06 Nov 1994 08:49:37 GMT", 1s, 60s, kExample + 1h),
            milliseconds(0));
  EXPECT_EQ(RetryAfterDelay("Sun, 06 Nov 1994 08:49:37 GMT", 1s, 5s, kExample - 1h), seconds(5));
}

TEST(RetryAfterTest, ReadsTheThreeDateForms) {
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), kExample);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), kExample);
  EXPECT_EQ(ParseHttpDate("Sun Nov  6 08:49:37 1994"), kExample);
  EXPECT_EQ(ParseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT"),
            std::chrono::system_clock::time_point{});
  EXPECT_EQ(ParseHttpDate("Tue, 29 Feb 2028 23:59:59 GMT"),
            std::chrono::sys_days{std::chrono::year{2028} / 2 / 29} + 23h + 59min + 59s);
  EXPECT_EQ(ParseHttpDate("Wednesday, 01-Mar-28 00:00:00 GMT"),
            std::chrono::sys_days{std::chrono::year{2028} / 3 / 1});
  EXPECT_FALSE(ParseHttpDate("Sun, 6 Nov 1994 08:49:37 GMT"));
  EXPECT_FALSE(ParseHttpDate("Sun Nov 6 08:49:37 1994"));
  EXPECT_FALSE(ParseHttpDate("1994-11-06T08:49:37Z"));
}

}  // namespace
}  // namespace dataplane::http
