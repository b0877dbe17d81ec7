// Tests of JsonScanner: stepping through a document (what the Central API's list scan does),
// and its verdict against ParseJson's on every text: the same acceptance and the same error code
// on hand-picked cases and on many random mutations of valid documents.
#include "core/json_scan.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/json_parse.h"

namespace dataplane::core {
namespace {

TEST(JsonScannerTest, StepsThroughAnObjectAndSkipsWhatItDoesNotLookInto) {
  const std::string text = R"( {"items": [{"id": "a\"b", "n": [1, {"x": null}]}], "next": null} )";
  JsonScanner scanner(text, 8);
  ASSERT_TRUE(scanner.Enter('{'));
  EXPECT_EQ(scanner.String(), "\"items\"");
  ASSERT_TRUE(scanner.Consume(':'));
  ASSERT_TRUE(scanner.Enter('['));
  const std::size_t item_begin = (scanner.Peek(), scanner.pos());
  ASSERT_TRUE(scanner.Enter('{'));
  EXPECT_EQ(scanner.String(), "\"id\"");
  ASSERT_TRUE(scanner.Consume(':'));
  EXPECT_EQ(scanner.Value(), R"("a\"b")");
  ASSERT_TRUE(scanner.Consume(','));
  EXPECT_EQ(scanner.String(), "\"n\"");
  ASSERT_TRUE(scanner.Consume(':'));
  EXPECT_EQ(scanner.Value(), R"([1, {"x": null}])");
  ASSERT_TRUE(scanner.Leave('}'));
  EXPECT_EQ(scanner.Slice(item_begin), R"({"id": "a\"b", "n": [1, {"x": null}]})");
  ASSERT_TRUE(scanner.Leave(']'));
  ASSERT_TRUE(scanner.Consume(','));
  EXPECT_EQ(scanner.String(), "\"next\"");
  ASSERT_TRUE(scanner.Consume(':'));
  EXPECT_EQ(scanner.Value(), "null");
  ASSERT_TRUE(scanner.Leave('}'));
  EXPECT_TRUE(scanner.AtEnd());
  EXPECT_TRUE(scanner.status().ok());
}

TEST(JsonScannerTest, TheFirstFailureStopsEveryLaterStep) {
  JsonScanner scanner(R"({"a": tru, "b": 1})", 8);
  ASSERT_TRUE(scanner.Enter('{'));
  EXPECT_EQ(scanner.String(), "\"a\"");
  ASSERT_TRUE(scanner.Consume(':'));
  EXPECT_EQ(scanner.Value(), "");
  EXPECT_TRUE(scanner.failed());
  EXPECT_EQ(scanner.status().error().code, "malformed_json");
  EXPECT_NE(scanner.status().error().message.find("at byte 6"), std::string::npos)
      << scanner.status().error().message;
  EXPECT_EQ(scanner.Peek(), '\0');
  EXPECT_FALSE(scanner.Consume(','));
  EXPECT_FALSE(scanner.AtEnd());
}

TEST(JsonScannerTest, DepthCountsTheLevelsTheCallerEnteredToo) {
  JsonScanner scanner(R"({"a": [[1]]})", 2);
  ASSERT_TRUE(scanner.Enter('{'));
  EXPECT_EQ(scanner.String(), "\"a\"");
  ASSERT_TRUE(scanner.Consume(':'));
  EXPECT_EQ(scanner.Value(), "");
  EXPECT_EQ(scanner.status().error().code, "too_deeply_nested");
}

// The verdict of ValidateJson (the scanner) and of ParseJson (Boost.JSON's parser) on `text`.
void ExpectSameVerdict(const std::string& text, std::size_t max_depth = 8) {
  const Status scanned = ValidateJson(text, max_depth);
  const auto parsed = ParseJson(text, max_depth);
  ASSERT_EQ(scanned.ok(), parsed.ok())
      << "text: " << text << "\nscanner: " << (scanned.ok() ? "ok" : scanned.error().message)
      << "\nparser: " << (parsed.ok() ? "ok" : parsed.error().message);
  if (!parsed.ok()) {
    EXPECT_EQ(scanned.error().code, parsed.error().code) << text;
  }
}

TEST(JsonScannerTest, EscapesAndSurrogatePairsAsTheParserSeesThem) {
  for (const char* text :
       {R"("\ud83d\ude00")", R"("\uD83D\uDE00")", R"("\ud83d")", R"("\ude00")", R"("\ud83dx")",
        R"("\ud83d\u0041")", R"("\ud83d\ud83d")", R"("\u00e4\u0000")", R"("\u12")", R"("\u12G4")",
        R"("\x")", R"("\/\b\f\n\r\t\"\\")", R"("\)", "\"\\", R"("\u")", R"("\ud83d\u")"}) {
    ExpectSameVerdict(text);
  }
}

TEST(JsonScannerTest, NumbersAndLiteralsAsTheParserSeesThem) {
  for (const char* text : {"0",       "-0",        "01",         "-",
                           "1.",      ".5",        "1e",         "1e+",
                           "1E-5",    "-1.5e+300", "1e309",      "-1e309",
                           "1e-400",  "2.5E3",     "00",         "0x10",
                           "+1",      "1.2.3",     "true",       "false",
                           "null",    "truex",     "nulll",      "[true,false,null]",
                           "[1,]",    "[,1]",      "{\"a\":1,}", "{,}",
                           "{\"a\"}", "{\"a\":}",  "[1 , 2 ]",   "\t[\r\n1\n]\r\n",
                           "\f1",     "1 2",       "\"a\" \"b\""}) {
    ExpectSameVerdict(text);
  }
  ExpectSameVerdict(std::string(400, '9'));
  ExpectSameVerdict("0." + std::string(400, '9'));
}

TEST(JsonScannerTest, RandomMutationsOfValidDocumentsGetTheParsersVerdict) {
  const std::vector<std::string> seeds = {
      R"({"items":[{"job_id":"j-1","site_id":"fab1","last_event_at":"2026-12-07T18:00:00.5Z",)"
      R"("status":"failed","n":[1,-2.5e3,0],"x":null,"ok":true,"m":{"k":"\u00e4\n\"q\""}}],)"
      R"("count":1,"next_cursor":null})",
      "[\"\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80\", {\"\\ud83d\\ude00\": [[], {}, [[1e5]]]}, false]",
  };
  const std::string alphabet =
      "\"\\{}[],:0123456789eE.+-tfnulrsa \t\n\x01\x7F\x80\xBF\xC3\xE2\xED\xF0\xF4\xFF";
  std::mt19937 random(20261207);
  int refused = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text = seeds[round % seeds.size()];
    const int mutations = 1 + static_cast<int>(random() % 3);
    for (int m = 0; m < mutations && !text.empty(); ++m) {
      const std::size_t at = random() % text.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          text.erase(at, 1);
      }
    }
    ExpectSameVerdict(text, 4);
    if (::testing::Test::HasFailure()) return;
    refused += ValidateJson(text, 4).ok() ? 0 : 1;
  }
  // Both verdicts occur: the mutations test acceptance as well as refusal.
  EXPECT_GT(refused, 1000);
  EXPECT_LT(refused, 19000);
}

}  // namespace
}  // namespace dataplane::core
