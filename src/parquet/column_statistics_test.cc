#include "parquet/column_statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "parquet/plain_encoder.h"

namespace dataplane::parquet {
namespace {

std::string PlainInt64(std::int64_t v) {
  std::string out;
  AppendPlainInt64(v, out);
  return out;
}

std::string PlainDouble(double v) {
  std::string out;
  AppendPlainDouble(v, out);
  return out;
}

TEST(StatisticsCollector, SignedOrderForIntegers) {
  StatisticsCollector c;
  c.AddInt64(5);
  c.AddNull();
  c.AddInt64(-7);
  c.AddInt64(3);
  Statistics s = c.Finish(PhysicalType::kInt64);
  EXPECT_EQ(s.null_count, 1);
  EXPECT_EQ(s.min_value, PlainInt64(-7));
  EXPECT_EQ(s.max_value, PlainInt64(5));
}

TEST(StatisticsCollector, Int32IsFourBytes) {
  StatisticsCollector c;
  c.AddInt64(-1);
  Statistics s = c.Finish(PhysicalType::kInt32);
  EXPECT_EQ(s.min_value, std::string(4, '\xFF'));
}

TEST(StatisticsCollector, UnsignedByteOrderForStrings) {
  StatisticsCollector c;
  c.AddBytes("\xC3\xA9t\xC3\xA9");  // "été": its first byte is above 0x7F
  c.AddBytes("zebra");
  c.AddBytes("abc");
  c.AddBytes("ab");
  Statistics s = c.Finish(PhysicalType::kByteArray);
  EXPECT_EQ(s.min_value, "ab");
  EXPECT_EQ(s.max_value, "\xC3\xA9t\xC3\xA9");
}

TEST(StatisticsCollector, NanIsIgnoredAndZeroesAreSigned) {
  StatisticsCollector c;
  c.AddDouble(std::nan(""));
  c.AddDouble(0.0);
  c.AddDouble(-0.0);
  Statistics s = c.Finish(PhysicalType::kDouble);
  EXPECT_EQ(s.min_value, PlainDouble(-0.0));
  EXPECT_EQ(s.max_value, PlainDouble(0.0));

  c.AddDouble(std::nan(""));
  c.AddDouble(2.5);
  c.AddDouble(-std::numeric_limits<double>::infinity());
  s = c.Finish(PhysicalType::kDouble);
  EXPECT_EQ(s.min_value, PlainDouble(-std::numeric_limits<double>::infinity()));
  EXPECT_EQ(s.max_value, PlainDouble(2.5));
}

TEST(StatisticsCollector, OnlyNullsOrNansHaveNoMinMax) {
  StatisticsCollector c;
  c.AddNull();
  c.AddDouble(std::nan(""));
  Statistics s = c.Finish(PhysicalType::kDouble);
  EXPECT_EQ(s.null_count, 1);
  EXPECT_FALSE(s.min_value.has_value());
  EXPECT_FALSE(s.max_value.has_value());
}

TEST(StatisticsCollector, BooleansAreOneByte) {
  StatisticsCollector c;
  c.AddInt64(1);
  Statistics s = c.Finish(PhysicalType::kBoolean);
  EXPECT_EQ(s.min_value, std::string(1, '\x01'));
  EXPECT_EQ(s.max_value, std::string(1, '\x01'));
  EXPECT_EQ(s.null_count, 0);
}

}  // namespace
}  // namespace dataplane::parquet
