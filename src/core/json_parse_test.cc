// Tests of untrusted-JSON parsing: the three classified refusals (malformed_json, invalid_utf8,
// too_deeply_nested) and what is accepted — by ParseJson and, the same, by ValidateJson.
#include "core/json_parse.h"

#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "core/utf8.h"

namespace dataplane::core {
namespace {

namespace json = boost::json;

// `depth` nested arrays around a number: "[[[1]]]" for 3.
std::string NestedArrays(std::size_t depth) {
  return std::string(depth, '[') + "1" + std::string(depth, ']');
}

// `depth` nested objects: {"a":{"a":1}} for 2.
std::string NestedObjects(std::size_t depth) {
  std::string text;
  for (std::size_t i = 0; i < depth; ++i) text += "{\"a\":";
  text += "1";
  text += std::string(depth, '}');
  return text;
}

void ExpectRefused(const std::string& text, const std::string& code,
                   std::size_t max_depth = kDefaultMaxJsonDepth) {
  auto result = ParseJson(text, max_depth);
  ASSERT_FALSE(result.ok()) << "accepted: " << text;
  EXPECT_EQ(result.error().kind, ErrorKind::kMalformed) << text;
  EXPECT_EQ(result.error().code, code) << text << " -> " << result.error().message;
  auto checked = ValidateJson(text, max_depth);
  ASSERT_FALSE(checked.ok()) << "ValidateJson accepted: " << text;
  EXPECT_EQ(checked.error().code, code) << text << " -> " << checked.error().message;
}

void ExpectAccepted(const std::string& text, std::size_t max_depth = kDefaultMaxJsonDepth) {
  auto result = ParseJson(text, max_depth);
  EXPECT_TRUE(result.ok()) << text << ": " << result.error().message;
  auto checked = ValidateJson(text, max_depth);
  EXPECT_TRUE(checked.ok()) << "ValidateJson: " << text << ": " << checked.error().message;
}

TEST(ParseJsonTest, AcceptsValidDocuments) {
  auto object = ParseJson(R"({"a": [1, 2.5, -3e2, true, false, null], "b": {"c": "d"}})");
  ASSERT_TRUE(object.ok()) << object.error().message;
  EXPECT_EQ(*object, json::parse(R"({"a":[1,2.5,-3e2,true,false,null],"b":{"c":"d"}})"));
  EXPECT_EQ(object->at("b").at("c").as_string(), "d");

  for (const char* text :
       {"[]", "{}", "0", "\"s\"", "null", "  {\"x\" : 1}\n\t", "-0.0", "1.7976931348623157e308",
        R"({"a": [1, 2.5, -3e2, true, false, null], "b": {"c": "d\u00e4\n"}})"}) {
    ExpectAccepted(text);
  }
}

TEST(ParseJsonTest, EscapesAreDecoded) {
  auto result = ParseJson(R"(["\u00e4\n\"", "\ud83d\ude00"])");
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result->at(0).as_string(), "\xC3\xA4\n\"");
  EXPECT_EQ(result->at(1).as_string(), "\xF0\x9F\x98\x80");
}

TEST(ParseJsonTest, MalformedTextIsMalformedJson) {
  for (const char* text : {"",
                           "   ",
                           "{",
                           "[1, 2",
                           "{\"a\": 1",
                           "{\"a\":",
                           "\"unterminated",
                           "[1, 2,]",
                           "{\"a\": 1,}",
                           "[NaN]",
                           "NaN",
                           "Infinity",
                           "[-Infinity]",
                           "{a: 1}",
                           "{'a': 1}",
                           "[1] [2]",
                           "{} x",
                           "[01]",
                           "tru",
                           "nul",
                           "[1 2]",
                           "{\"a\" 1}",
                           "[\"tab\there\"]"}) {
    ExpectRefused(text, "malformed_json");
  }
}

TEST(ParseJsonTest, NumbersOverflowingADoubleAreMalformed) {
  ExpectRefused("1e400", "malformed_json");
  ExpectRefused("[-1e400]", "malformed_json");
  ExpectRefused(R"({"metadata": {"deep": [1, {"x": 1e99999}]}})", "malformed_json");
  // Underflow is not overflow: it rounds to zero, which is a finite double.
  auto tiny = ParseJson("1e-400");
  ASSERT_TRUE(tiny.ok()) << tiny.error().message;
  EXPECT_EQ(tiny->as_double(), 0.0);
}

TEST(ParseJsonTest, InvalidUtf8IsInvalidUtf8) {
  const std::string cases[] = {
      "\"\x80\"",                   // lone continuation byte
      "\"\xBF\"",                   // lone continuation byte, high end
      "\"\xC0\xAF\"",               // overlong '/'
      "\"\xE0\x80\xAF\"",           // overlong '/' in three bytes
      "\"\xF0\x80\x80\xAF\"",       // overlong '/' in four bytes
      "\"\xED\xA0\x80\"",           // UTF-16 surrogate U+D800
      "\"\xED\xBF\xBF\"",           // UTF-16 surrogate U+DFFF
      "\"\xF4\x90\x80\x80\"",       // U+110000, past U+10FFFF
      "\"\xF8\x88\x80\x80\x80\"",   // five-byte form
      "\"\xFF\"",                   // never valid in UTF-8
      "\"\xC3\"",                   // truncated two-byte sequence
      "\"\xE2\x82\"",               // truncated three-byte sequence
      "\"\xF0\x9F\x98\"",           // truncated four-byte sequence
      "\"\xC3",                     // truncated at the very end of the text
      "\"\xC3\x28\"",               // second byte not a continuation
      "{\"k\xC0\xAF\": 1}",         // in a key
      "[1, 2, \"\xED\xA0\x80\", ",  // reported before the syntax error
  };
  for (const std::string& text : cases) ExpectRefused(text, "invalid_utf8");
}

TEST(ParseJsonTest, ValidMultiByteUtf8IsAccepted) {
  const std::string text =
      "{\"f\xC3\xA4\x62\": \"\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBD\xF4\x8F\xBF\xBF"
      "\xED\x9F\xBF\xEE\x80\x80\"}";
  auto result = ParseJson(text);
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result
                ->at("f\xC3\xA4"
                     "b")
                .as_string(),
            "\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBD\xF4\x8F\xBF\xBF\xED\x9F\xBF\xEE\x80"
            "\x80");
}

TEST(IsValidUtf8Test, BoundariesOfEachSequenceLength) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii \x7F"));
  EXPECT_TRUE(IsValidUtf8("\xC2\x80"));          // U+0080, smallest two-byte
  EXPECT_TRUE(IsValidUtf8("\xDF\xBF"));          // U+07FF
  EXPECT_TRUE(IsValidUtf8("\xE0\xA0\x80"));      // U+0800, smallest three-byte
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));      // U+E000, just above them
  EXPECT_TRUE(IsValidUtf8("\xF0\x90\x80\x80"));  // U+10000, smallest four-byte
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  EXPECT_TRUE(IsValidUtf8(std::string_view("a\0b", 3)));
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));          // overlong U+007F
  EXPECT_FALSE(IsValidUtf8("\xE0\x9F\xBF"));      // overlong U+07FF
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));  // overlong U+FFFF
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));  // lead byte past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));
}

TEST(ParseJsonTest, NestingAtTheLimitIsAcceptedOneDeeperIsRefused) {
  const std::size_t limit = kDefaultMaxJsonDepth;
  ExpectAccepted(NestedArrays(limit));
  ExpectAccepted(NestedObjects(limit));
  ExpectRefused(NestedArrays(limit + 1), "too_deeply_nested");
  ExpectRefused(NestedObjects(limit + 1), "too_deeply_nested");
  ExpectRefused(NestedArrays(10000), "too_deeply_nested");
}

TEST(ParseJsonTest, CustomDepthLimit) {
  ExpectAccepted(NestedArrays(4), 4);
  ExpectRefused(NestedArrays(5), "too_deeply_nested", 4);
  ExpectAccepted("{\"a\": [1]}", 2);
  ExpectRefused("{\"a\": [[1]]}", "too_deeply_nested", 2);
  auto result = ParseJson(NestedArrays(5), 4);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find('4'), std::string::npos) << result.error().message;
}

}  // namespace
}  // namespace dataplane::core
