// Tests of reading a site's list answer as text: the items' spans and sort keys, the site id
// spliced in, and the shapes refused.
#include "central_api/list_answer_scan.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "core/json_parse.h"

namespace dataplane::central_api {
namespace {
namespace json = boost::json;

constexpr const char* kTime = "2026-12-01T10:00:00.5Z";

TEST(ListAnswerScan, FindsEachItemWithItsKeysWhateverElseItHolds) {
  const std::string answer = R"( { "count" : 2, "items" : [
      { "job_id" : "b", "site_id" : "s1", "metadata" : {"site_id": "inner", "x": ["}", "\"{"]},
        "last_event_at" : "2026-12-01T10:00:00.5Z" } ,
      {"last_event_at":"2026-12-01T09:00:00Z","job_id":"a\u00e4","error":null,"n":-1.5e3}
    ], "next_cursor" : "abc" } )";
  ASSERT_TRUE(core::ValidateJson(answer).ok());
  auto scanned = ScanListAnswer(answer, "job_id", 32);
  ASSERT_TRUE(scanned.ok()) << scanned.error().message;
  ASSERT_EQ(scanned->items.size(), 2u);
  EXPECT_TRUE(scanned->has_next);
  const ScannedItem& first = scanned->items[0];
  EXPECT_EQ(first.id, "b");
  EXPECT_EQ(first.last_event_at, *core::ParseRfc3339(kTime));
  EXPECT_EQ(first.text.front(), '{');
  EXPECT_EQ(first.text.back(), '}');
  EXPECT_EQ(first.text.substr(first.site_id_begin, first.site_id_end - first.site_id_begin),
            "\"s1\"");  // the item's own member, not the one inside metadata
  EXPECT_EQ(scanned->items[1].id, "a\xC3\xA4");                               // decoded
  EXPECT_EQ(scanned->items[1].site_id_begin, scanned->items[1].site_id_end);  // none

  // Spliced: the item's other members unchanged, its site_id replaced or added first.
  for (const ScannedItem& item : scanned->items) {
    std::string out;
    AppendWithSiteId(out, item, "\"fab\\\"1\"");
    const json::value spliced = json::parse(out);
    const json::value original = json::parse(item.text);
    EXPECT_EQ(spliced.at("site_id"), "fab\"1") << out;
    json::object rest = spliced.as_object();
    rest.erase("site_id");
    json::object expected = original.as_object();
    expected.erase("site_id");
    EXPECT_EQ(rest, expected) << out;
  }
}

TEST(ListAnswerScan, BackslashesBeforeAQuoteDecideWhetherItEndsTheString) {
  // "a\\" ends after two backslashes (one escaped backslash); "\\\"{" holds an escaped
  // backslash and an escaped quote, so its brace is text, not structure.
  const std::string answer = R"({"items":[{"job_id":"a\\","note":"\\\"{","last_event_at":")" +
                             std::string(kTime) + R"("},{"job_id":"\"","last_event_at":")" + kTime +
                             R"("}],"next_cursor":null})";
  ASSERT_TRUE(core::ValidateJson(answer).ok()) << answer;
  auto scanned = ScanListAnswer(answer, "job_id", 32);
  ASSERT_TRUE(scanned.ok()) << scanned.error().message;
  ASSERT_EQ(scanned->items.size(), 2u);
  EXPECT_EQ(scanned->items[0].id, "a\\");
  EXPECT_EQ(scanned->items[1].id, "\"");
  EXPECT_EQ(json::parse(scanned->items[0].text).at("note"), "\\\"{");
}

TEST(ListAnswerScan, AnEmptyPageHasNoItems) {
  auto scanned = ScanListAnswer(R"({"items":[],"count":0,"next_cursor":null})", "subjob_id", 32);
  ASSERT_TRUE(scanned.ok()) << scanned.error().message;
  EXPECT_TRUE(scanned->items.empty());
  EXPECT_FALSE(scanned->has_next);
}

TEST(ListAnswerScan, RefusesWhatIsNotAList) {
  const std::string item = std::string(R"({"job_id":"a","last_event_at":")") + kTime + "\"}";
  for (const std::string& answer : std::vector<std::string>{
           "[]",
           "\"items\"",
           R"({"next_cursor":null})",
           R"({"items":[]})",
           R"({"items":{},"next_cursor":null})",
           R"({"items":[1],"next_cursor":null})",
           R"({"items":[{"job_id":"a"}],"next_cursor":null})",
           R"({"items":[{"last_event_at":"2026-12-01T10:00:00Z"}],"next_cursor":null})",
           R"({"items":[{"job_id":7,"last_event_at":"2026-12-01T10:00:00Z"}],"next_cursor":null})",
           R"({"items":[{"job_id":"a","last_event_at":"yesterday"}],"next_cursor":null})",
           R"({"items":[{"job_id":"a","last_event_at":5}],"next_cursor":null})",
           "{\"items\":[" + item + "],\"next_cursor\":3}",
           "{\"items\":[" + item + "],\"items\":[],\"next_cursor\":null}",
       }) {
    auto scanned = ScanListAnswer(answer, "job_id", 32);
    ASSERT_FALSE(scanned.ok()) << "accepted: " << answer;
    EXPECT_EQ(scanned.error().code, "bad_answer") << answer;
    EXPECT_NE(scanned.error().message.find("not a list"), std::string::npos) << answer;
  }
}

TEST(ListAnswerScan, RefusesWhatIsNotJsonAnywhereInTheAnswer) {
  const std::string item = std::string(R"({"job_id":"a","last_event_at":")") + kTime + "\"}";
  const std::string list = "{\"items\":[" + item + "],\"next_cursor\":null}";
  for (const std::string& answer : std::vector<std::string>{
           "",
           "<html>502 Bad Gateway</html>",
           "{\"items\":[" + item,
           "{\"items\":[{\"job_id\":\"a",
           "{\"items\":[" + item + "],\"next_cursor\":null",
           list + "}",
           list + " x",
           "{\"items\":[" + item + "],\"next_cursor\":\"\\\"}",
           // Broken where the scan looks at nothing: inside an item's other members, and in
           // members of the answer besides the items.
           "{\"items\":[{\"job_id\":\"a\",\"x\":tru,\"last_event_at\":\"" + std::string(kTime) +
               "\"}],\"next_cursor\":null}",
           "{\"items\":[{\"job_id\":\"a\",\"m\":{\"k\":01},\"last_event_at\":\"" +
               std::string(kTime) + "\"}],\"next_cursor\":null}",
           "{\"count\":[1,],\"items\":[" + item + "],\"next_cursor\":null}",
           "{\"items\":[" + item + "],\"next_cursor\":null,\"note\":\"\xC0\xAF\"}",
           "{\"items\":[" + item + "],\"next_cursor\":null,\"n\":1e999}",
           "{\"items\":[" + item + "],\"next_cursor\":null,\"deep\":" + std::string(40, '[') +
               std::string(40, ']') + "}",
       }) {
    ASSERT_FALSE(core::ValidateJson(answer, 32).ok()) << answer;
    auto scanned = ScanListAnswer(answer, "job_id", 32);
    ASSERT_FALSE(scanned.ok()) << "accepted: " << answer;
    EXPECT_EQ(scanned.error().code, "bad_answer") << answer;
    EXPECT_NE(scanned.error().message.find("not JSON"), std::string::npos)
        << answer << " -> " << scanned.error().message;
  }
  EXPECT_TRUE(ScanListAnswer(list, "job_id", 32).ok());
}

}  // namespace
}  // namespace dataplane::central_api
