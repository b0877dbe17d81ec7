#include "core/json_writer.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace dataplane::core {
namespace {

TEST(JsonWriterTest, StringsAreEscapedAndParseBack) {
  static constexpr char kNasty[] = "a\"b\\c\nd\re\tf\x01g\x1fh \u00fcn\u00ef \u2603 end";
  const std::string nasty(kNasty, sizeof kNasty - 1);
  std::string out;
  AppendJsonString(out, nasty);
  EXPECT_EQ(boost::json::parse(out).as_string(), nasty);
  out.clear();
  AppendJsonString(out, "\x01");
  EXPECT_EQ(out, "\"\\u0001\"");
  out.clear();
  AppendJsonString(out, "");
  EXPECT_EQ(out, "\"\"");
}

TEST(JsonWriterTest, NumbersRoundTripAndNonFiniteIsNull) {
  std::string out;
  AppendJsonNumber(out, 312.5);
  out += ",";
  AppendJsonNumber(out, 0.1);
  out += ",";
  AppendJsonNumber(out, std::nan(""));
  out += ",";
  AppendJsonNumber(out, -42LL);
  out += ",";
  AppendJsonNumber(out, 25.0);
  out += ",";
  AppendJsonNumber(out, 1e300);
  EXPECT_EQ(out, "312.5,0.1,null,-42,25.0,1e+300");
}

}  // namespace
}  // namespace dataplane::core
