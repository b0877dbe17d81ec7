#include "pg/text_array.h"

#include <gtest/gtest.h>

namespace dataplane::pg {
namespace {

TEST(TextArrayTest, AnEmptyArrayIsBraces) {
  TextArray array;
  EXPECT_EQ(array.Take(), "{}");
}

TEST(TextArrayTest, ElementsAreQuotedWithQuotesAndBackslashesEscaped) {
  TextArray array;
  array.Add("plain");
  array.Add("a \"quoted\" \\ {b,c}");
  array.Add("");
  array.Add("NULL");
  EXPECT_EQ(array.Take(), R"({"plain","a \"quoted\" \\ {b,c}","","NULL"})");
}

TEST(TextArrayTest, NullsAndNumbers) {
  TextArray array;
  array.Add(std::optional<std::string>{});
  array.Add(0.1);
  array.Add(std::optional<double>{});
  array.Add(1e300);
  EXPECT_EQ(array.Take(), "{NULL,0.1,NULL,1e+300}");
}

TEST(TextArrayTest, TakeLeavesAnEmptyBuilder) {
  TextArray array;
  array.Add("x");
  EXPECT_EQ(array.Take(), R"({"x"})");
  array.Add("y");
  EXPECT_EQ(array.Take(), R"({"y"})");
}

}  // namespace
}  // namespace dataplane::pg
