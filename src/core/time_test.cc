// Tests of RFC 3339 parsing and formatting and of the civil-date arithmetic under them.
#include "core/time.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace dataplane::core {
namespace {

constexpr Micros kSentinel = std::numeric_limits<Micros>::min();
constexpr Micros kMicrosPerDay = 86400 * kMicrosPerSecond;

// The parsed value, or kSentinel (with a test failure naming the input) on a refusal.
Micros ParseOk(std::string_view text) {
  auto result = ParseRfc3339(text);
  EXPECT_TRUE(result.ok()) << "refused '" << text << "': " << result.error().message;
  return result.ok() ? *result : kSentinel;
}

TEST(ParseRfc3339Test, EpochInEveryOffsetSpelling) {
  EXPECT_EQ(ParseOk("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseOk("1970-01-01T00:00:00z"), 0);
  EXPECT_EQ(ParseOk("1970-01-01T00:00:00+00:00"), 0);
  EXPECT_EQ(ParseOk("1970-01-01T00:00:00-00:00"), 0);
  EXPECT_EQ(ParseOk("1970-01-01T05:30:00+05:30"), 0);
  EXPECT_EQ(ParseOk("1969-12-31T16:00:00-08:00"), 0);
}

TEST(ParseRfc3339Test, SpecExampleWithMicroseconds) {
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.123456Z"), 1795928400123456);
}

TEST(ParseRfc3339Test, PositiveAndNegativeOffsetsMoveTheInstant) {
  // 05:00 at +05:30 is 23:30 UTC the day before; 05:00 at -08:00 is 13:00 UTC.
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00+05:30"), 1795908600000000);
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00-08:00"), 1795957200000000);
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.5+05:30"), 1795908600500000);
  EXPECT_EQ(ParseOk("2026-11-29T00:00:00+23:59"), ParseOk("2026-11-28T00:01:00Z"));
}

TEST(ParseRfc3339Test, DateTimeSeparators) {
  const Micros expected = 1795928400000000;
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00Z"), expected);
  EXPECT_EQ(ParseOk("2026-11-29t05:00:00Z"), expected);
  EXPECT_EQ(ParseOk("2026-11-29 05:00:00Z"), expected);
}

TEST(ParseRfc3339Test, FractionOfOneToNineDigitsTruncatedToMicroseconds) {
  const Micros base = 1795928400000000;  // 2026-11-29T05:00:00Z
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00Z"), base);
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.1Z"), base + 100000);
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.12Z"), base + 120000);
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.123Z"), base + 123000);
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.1234Z"), base + 123400);
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.12345Z"), base + 123450);
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.123456Z"), base + 123456);
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.1234567Z"), base + 123456);
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.12345678Z"), base + 123456);
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.123456789Z"), base + 123456);
  // Truncation, not rounding: .9999999 stays within the same second.
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.999999999Z"), base + 999999);
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.000001Z"), base + 1);
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.0000009Z"), base);
  EXPECT_EQ(ParseOk("2026-11-29T05:00:00.000000-00:00"), base);
}

TEST(ParseRfc3339Test, LeapDaysAndYearEnds) {
  EXPECT_EQ(ParseOk("2024-02-29T00:00:00Z"), 1709164800000000);
  EXPECT_EQ(ParseOk("2000-02-29T00:00:00Z"), 951782400000000);
  EXPECT_EQ(ParseOk("2025-12-31T23:59:59.999999Z"), 1767225599999999);
  EXPECT_EQ(ParseOk("2025-12-31T23:59:59.999999Z") + 1, ParseOk("2026-01-01T00:00:00Z"));
  EXPECT_EQ(ParseOk("2024-03-01T00:00:00Z") - ParseOk("2024-02-28T00:00:00Z"), 2 * kMicrosPerDay);
  EXPECT_EQ(ParseOk("2023-03-01T00:00:00Z") - ParseOk("2023-02-28T00:00:00Z"), kMicrosPerDay);
}

TEST(ParseRfc3339Test, FirstAndLastRepresentableYears) {
  EXPECT_EQ(ParseOk("0001-01-01T00:00:00Z"), -62135596800000000);
  EXPECT_EQ(ParseOk("9999-12-31T23:59:59.999999Z"), 253402300799999999);
}

TEST(ParseRfc3339Test, TimesBeforeTheEpochAreNegative) {
  EXPECT_EQ(ParseOk("1969-12-31T23:59:59.5Z"), -500000);
  EXPECT_EQ(ParseOk("1969-12-31T23:59:59.999999Z"), -1);
  EXPECT_EQ(ParseOk("1900-01-01T00:00:00Z"), -2208988800000000);
  EXPECT_EQ(ParseOk("1970-01-01T00:00:00+00:01"), -60 * kMicrosPerSecond);
}

struct BadTime {
  const char* name;
  const char* text;
};

class ParseRfc3339RefusesTest : public testing::TestWithParam<BadTime> {};

TEST_P(ParseRfc3339RefusesTest, AsInvalidTime) {
  auto result = ParseRfc3339(GetParam().text);
  ASSERT_FALSE(result.ok()) << "accepted '" << GetParam().text << "' as " << *result;
  EXPECT_EQ(result.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(result.error().code, "invalid_time");
  EXPECT_FALSE(result.error().message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    BadInputs, ParseRfc3339RefusesTest,
    testing::Values(
        BadTime{"Feb29In2023", "2023-02-29T00:00:00Z"},
        BadTime{"Feb29In1900", "1900-02-29T00:00:00Z"},
        BadTime{"Feb30InLeapYear", "2024-02-30T00:00:00Z"},
        BadTime{"Month13", "2026-13-01T00:00:00Z"}, BadTime{"Month00", "2026-00-01T00:00:00Z"},
        BadTime{"Day32", "2026-01-32T00:00:00Z"}, BadTime{"Day00", "2026-01-00T00:00:00Z"},
        BadTime{"April31", "2026-04-31T00:00:00Z"}, BadTime{"Year0000", "0000-01-01T00:00:00Z"},
        BadTime{"Hour24", "2026-11-29T24:00:00Z"}, BadTime{"Minute60", "2026-11-29T05:60:00Z"},
        BadTime{"LeapSecond60", "2016-12-31T23:59:60Z"},
        BadTime{"Second61", "2026-11-29T05:00:61Z"},
        BadTime{"MissingOffset", "2026-11-29T05:00:00"},
        BadTime{"MissingOffsetAfterFraction", "2026-11-29T05:00:00.123456"},
        BadTime{"OffsetHour24", "2026-11-29T05:00:00+24:00"},
        BadTime{"OffsetMinute60", "2026-11-29T05:00:00+05:60"},
        BadTime{"OffsetWithoutColon", "2026-11-29T05:00:00+0530"},
        BadTime{"OffsetHourOnly", "2026-11-29T05:00:00+05"},
        BadTime{"OffsetTruncated", "2026-11-29T05:00:00+05:3"},
        BadTime{"OffsetLetters", "2026-11-29T05:00:00+ab:cd"},
        BadTime{"TenFractionDigits", "2026-11-29T05:00:00.1234567890Z"},
        BadTime{"EmptyFraction", "2026-11-29T12:00:00.Z"},
        BadTime{"CommaFraction", "2026-11-29T05:00:00,5Z"},
        BadTime{"TrailingGarbage", "2026-11-29T05:00:00Zx"},
        BadTime{"TrailingSpace", "2026-11-29T05:00:00Z "},
        BadTime{"TrailingAfterOffset", "2026-11-29T05:00:00+01:00:00"},
        BadTime{"LeadingSpace", " 2026-11-29T05:00:00Z"}, BadTime{"TooShort", "2026-11-29T05:00Z"},
        BadTime{"DateOnly", "2026-11-29"}, BadTime{"LettersInYear", "20x6-11-29T05:00:00Z"},
        BadTime{"LettersInMonth", "2026-1a-29T05:00:00Z"},
        BadTime{"LettersInSecond", "2026-11-29T05:00:0xZ"},
        BadTime{"BadSeparator", "2026-11-29X05:00:00Z"},
        BadTime{"SlashDate", "2026/11/29T05:00:00Z"},
        BadTime{"SignedDigits", "2026-11-29T+5:00:00Z"}, BadTime{"Empty", ""}),
    [](const testing::TestParamInfo<BadTime>& info) { return std::string(info.param.name); });

TEST(FormatRfc3339Test, AlwaysSixFractionDigitsAndZ) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatRfc3339(1), "1970-01-01T00:00:00.000001Z");
  EXPECT_EQ(FormatRfc3339(1795928400123456), "2026-11-29T05:00:00.123456Z");
  EXPECT_EQ(FormatRfc3339(1795928400000000), "2026-11-29T05:00:00.000000Z");
  EXPECT_EQ(FormatRfc3339(1709164800000000), "2024-02-29T00:00:00.000000Z");
  EXPECT_EQ(FormatRfc3339(1767225599999999), "2025-12-31T23:59:59.999999Z");
}

TEST(FormatRfc3339Test, NegativeTimesAndExtremeYears) {
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatRfc3339(-500000), "1969-12-31T23:59:59.500000Z");
  EXPECT_EQ(FormatRfc3339(-kMicrosPerSecond), "1969-12-31T23:59:59.000000Z");
  EXPECT_EQ(FormatRfc3339(-kMicrosPerDay), "1969-12-31T00:00:00.000000Z");
  EXPECT_EQ(FormatRfc3339(-2208988800000000), "1900-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatRfc3339(-62135596800000000), "0001-01-01T00:00:00.000000Z");
  EXPECT_EQ(FormatRfc3339(253402300799999999), "9999-12-31T23:59:59.999999Z");
  EXPECT_EQ(FormatRfc3339(253402300800000000), "10000-01-01T00:00:00.000000Z");
}

TEST(FormatRfc3339Test, AppendAddsToWhatIsThere) {
  std::string out = "at=";
  AppendRfc3339(out, 1795928400123456);
  EXPECT_EQ(out, "at=2026-11-29T05:00:00.123456Z");
}

TEST(FormatRfc3339Test, OffsetInputIsPrintedInUtc) {
  EXPECT_EQ(FormatRfc3339(ParseOk("2026-11-29T05:00:00.25+05:30")), "2026-11-28T23:30:00.250000Z");
}

TEST(FormatPgTimestampTest, SpaceSeparatorAndPlusZeroOffset) {
  EXPECT_EQ(FormatPgTimestamp(0), "1970-01-01 00:00:00.000000+00");
  EXPECT_EQ(FormatPgTimestamp(1795928400123456), "2026-11-29 05:00:00.123456+00");
  EXPECT_EQ(FormatPgTimestamp(-1), "1969-12-31 23:59:59.999999+00");
  EXPECT_EQ(FormatPgTimestamp(-62135596800000000), "0001-01-01 00:00:00.000000+00");
}

TEST(RoundTripTest, ParseOfFormatIsIdentity) {
  std::vector<Micros> times = {0,
                               1,
                               -1,
                               999999,
                               -999999,
                               kMicrosPerSecond,
                               -kMicrosPerSecond,
                               kMicrosPerSecond - 1,
                               -kMicrosPerSecond + 1,
                               kMicrosPerDay,
                               -kMicrosPerDay,
                               -kMicrosPerDay - 1,
                               1795928400123456,
                               1709164800000000,
                               951782400000000,
                               -2208988800000000,
                               -62135596800000000,
                               253402300799999999};
  // A walk over ~8000 years in uneven steps, crossing month ends, leap days and the epoch.
  for (Micros t = -62135596800000000; t < 253402300799999999; t += 3987654321234567) {
    times.push_back(t);
    times.push_back(t + 1);
    times.push_back(t / 7);
  }
  for (Micros t : times) {
    const std::string text = FormatRfc3339(t);
    auto parsed = ParseRfc3339(text);
    ASSERT_TRUE(parsed.ok()) << t << " -> " << text << ": " << parsed.error().message;
    EXPECT_EQ(*parsed, t) << text;
    const std::string pg = FormatPgTimestamp(t);
    EXPECT_EQ(pg.substr(0, 26), text.substr(0, 10) + " " + text.substr(11, 15)) << t;
  }
}

TEST(RoundTripTest, EveryDayOfALeapYearAndTheDayAround) {
  const Micros start = ParseOk("2023-12-31T12:34:56.789012Z");
  for (int day = 0; day < 368; ++day) {
    const Micros t = start + day * kMicrosPerDay;
    auto parsed = ParseRfc3339(FormatRfc3339(t));
    ASSERT_TRUE(parsed.ok()) << FormatRfc3339(t);
    EXPECT_EQ(*parsed, t);
  }
  EXPECT_EQ(FormatRfc3339(start + 60 * kMicrosPerDay), "2024-02-29T12:34:56.789012Z");
  EXPECT_EQ(FormatRfc3339(start + 61 * kMicrosPerDay), "2024-03-01T12:34:56.789012Z");
}

TEST(DaysFromCivilTest, KnownDates) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1970, 1, 2), 1);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(2024, 2, 29), 19782);
  EXPECT_EQ(DaysFromCivil(1600, 1, 1), -135140);
  EXPECT_EQ(DaysFromCivil(1, 1, 1), -719162);
  EXPECT_EQ(DaysFromCivil(9999, 12, 31), 2932896);
}

TEST(DaysFromCivilTest, ConsecutiveAcrossMonthAndYearEnds) {
  EXPECT_EQ(DaysFromCivil(2024, 3, 1) - DaysFromCivil(2024, 2, 29), 1);
  EXPECT_EQ(DaysFromCivil(2023, 3, 1) - DaysFromCivil(2023, 2, 28), 1);
  EXPECT_EQ(DaysFromCivil(2026, 1, 1) - DaysFromCivil(2025, 12, 31), 1);
  EXPECT_EQ(DaysFromCivil(2025, 1, 1) - DaysFromCivil(2024, 1, 1), 366);
  EXPECT_EQ(DaysFromCivil(1901, 1, 1) - DaysFromCivil(1900, 1, 1), 365);
  EXPECT_EQ(DaysFromCivil(2001, 1, 1) - DaysFromCivil(2000, 1, 1), 366);
  EXPECT_EQ(DaysFromCivil(2400, 1, 1) - DaysFromCivil(2000, 1, 1), 146097);
}

TEST(NowMicrosTest, IsAfter2020AndMonotonicEnoughForASecondCall) {
  const Micros a = NowMicros();
  const Micros b = NowMicros();
  EXPECT_GT(a, ParseOk("2020-01-01T00:00:00Z"));
  EXPECT_GE(b, a);
}

}  // namespace
}  // namespace dataplane::core
