// Tests of the batch forms of ParseBatch: JSON arrays and NDJSON, per-item results, limits.
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "ingest/event_parser.h"
#include "ingest/event_test_data.h"

namespace dataplane::ingest {
namespace {

using namespace test_data;  // NOLINT: the shared constants read best unqualified
using core::ErrorKind;

json::value EventWithKey(const std::string& key) {
  json::value body = BaseEvent();
  Set("idempotency_key", key)(body);
  return body;
}

std::string ArrayOfEvents(std::size_t n) {
  json::array array;
  for (std::size_t i = 0; i < n; ++i) array.push_back(EventWithKey("k" + std::to_string(i)));
  return json::serialize(array);
}

TEST(ParseBatchTest, JsonArrayGivesPerItemResultsInOrder) {
  json::value no_site = EventWithKey("second");
  Remove("site_id")(no_site);
  json::value future = EventWithKey("fourth");
  SetAt(kNow + kDay)(future);
  const json::array batch = {EventWithKey("first"), no_site, "not an event", future,
                             EventWithKey("fifth")};
  auto items = ParseBatch(json::serialize(batch), false, ValidationLimits{}, kNow);
  ASSERT_TRUE(items.ok()) << items.error().message;
  ASSERT_EQ(items->size(), 5u);
  const std::vector<core::Result<Event>>& r = *items;
  ASSERT_TRUE(r[0].ok()) << r[0].error().message;
  EXPECT_EQ(r[0]->idempotency_key, "first");
  ASSERT_FALSE(r[1].ok());
  EXPECT_EQ(r[1].error().code, "missing_field");
  EXPECT_EQ(r[1].error().field, "site_id");
  ASSERT_FALSE(r[2].ok());
  EXPECT_EQ(r[2].error().code, "wrong_type");
  EXPECT_EQ(r[2].error().field, "event body");
  ASSERT_FALSE(r[3].ok());
  EXPECT_EQ(r[3].error().code, "event_in_future");
  EXPECT_EQ(r[3].error().field, "event.at");
  ASSERT_TRUE(r[4].ok()) << r[4].error().message;
  EXPECT_EQ(r[4]->idempotency_key, "fifth");
}

TEST(ParseBatchTest, EmptyArrayHasNoItems) {
  auto items = ParseBatch("[]", false, ValidationLimits{}, kNow);
  ASSERT_TRUE(items.ok()) << items.error().message;
  EXPECT_TRUE(items->empty());
  auto spaced = ParseBatch(" [ ] \n", false, ValidationLimits{}, kNow);
  ASSERT_TRUE(spaced.ok()) << spaced.error().message;
  EXPECT_TRUE(spaced->empty());
}

TEST(ParseBatchTest, NonArrayBodyFailsTheWholeRequest) {
  for (const std::string& body : {Line(BaseEvent()), std::string("\"events\""), std::string("3")}) {
    auto items = ParseBatch(body, false, ValidationLimits{}, kNow);
    ASSERT_FALSE(items.ok()) << body;
    EXPECT_EQ(items.error().kind, ErrorKind::kInvalidInput);
    EXPECT_EQ(items.error().code, "wrong_type");
    EXPECT_EQ(items.error().field, "batch body");
  }
}

TEST(ParseBatchTest, MalformedArrayFailsTheWholeRequest) {
  auto items = ParseBatch("[" + Line(BaseEvent()) + ",", false, ValidationLimits{}, kNow);
  ASSERT_FALSE(items.ok());
  EXPECT_EQ(items.error().code, "malformed_json");
  auto trailing = ParseBatch("[" + Line(BaseEvent()) + ",]", false, ValidationLimits{}, kNow);
  ASSERT_FALSE(trailing.ok());
  EXPECT_EQ(trailing.error().code, "malformed_json");
}

TEST(ParseBatchTest, ArrayOverTheLimitIsTooLarge) {
  ValidationLimits limits;
  limits.max_batch_events = 3;
  auto at_limit = ParseBatch(ArrayOfEvents(3), false, limits, kNow);
  ASSERT_TRUE(at_limit.ok()) << at_limit.error().message;
  EXPECT_EQ(at_limit->size(), 3u);
  auto over = ParseBatch(ArrayOfEvents(4), false, limits, kNow);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind, ErrorKind::kTooLarge);
  EXPECT_EQ(over.error().code, "batch_too_large");
  EXPECT_NE(over.error().message.find('3'), std::string::npos) << over.error().message;
}

TEST(ParseBatchTest, DefaultLimitIsTenThousand) {
  EXPECT_EQ(ValidationLimits{}.max_batch_events, 10000u);
  std::string many = "[";
  for (int i = 0; i < 10001; ++i) many += i == 0 ? "1" : ",1";
  many += "]";
  auto too_many = ParseBatch(many, false, ValidationLimits{}, kNow);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().kind, ErrorKind::kTooLarge);
}

TEST(ParseBatchTest, NdjsonSkipsBlankLinesAndReportsABadLineAsAnItem) {
  const std::string body = Line(EventWithKey("a")) + "\n\n   \t\r\n{\"idempotency_key\": \n" +
                           Line(EventWithKey("c")) + "\r\n[1]\n" + Line(EventWithKey("e"));
  auto items = ParseBatch(body, true, ValidationLimits{}, kNow);
  ASSERT_TRUE(items.ok()) << items.error().message;
  ASSERT_EQ(items->size(), 5u);
  const std::vector<core::Result<Event>>& r = *items;
  ASSERT_TRUE(r[0].ok()) << r[0].error().message;
  EXPECT_EQ(r[0]->idempotency_key, "a");
  ASSERT_FALSE(r[1].ok());
  EXPECT_EQ(r[1].error().code, "malformed_json");
  ASSERT_TRUE(r[2].ok()) << r[2].error().message;
  EXPECT_EQ(r[2]->idempotency_key, "c");
  ASSERT_FALSE(r[3].ok());
  EXPECT_EQ(r[3].error().code, "wrong_type");
  EXPECT_EQ(r[3].error().field, "event body");
  ASSERT_TRUE(r[4].ok()) << r[4].error().message;
  EXPECT_EQ(r[4]->idempotency_key, "e");
  // The last line has no newline after it and is still read.
  auto with_last = ParseBatch(Line(EventWithKey("x")) + "\n" + Line(EventWithKey("y")), true,
                              ValidationLimits{}, kNow);
  ASSERT_TRUE(with_last.ok());
  ASSERT_EQ(with_last->size(), 2u);
  ASSERT_TRUE((*with_last)[1].ok());
  EXPECT_EQ((*with_last)[1]->idempotency_key, "y");
}

TEST(ParseBatchTest, EmptyNdjsonHasNoItems) {
  for (const char* body : {"", "\n", "\n\n  \r\n\t\n"}) {
    auto items = ParseBatch(body, true, ValidationLimits{}, kNow);
    ASSERT_TRUE(items.ok()) << items.error().message;
    EXPECT_TRUE(items->empty()) << '"' << body << '"';
  }
}

TEST(ParseBatchTest, NdjsonOverTheLimitIsTooLargeButBlankLinesDoNotCount) {
  ValidationLimits limits;
  limits.max_batch_events = 2;
  const std::string two = Line(EventWithKey("a")) + "\n\n\n" + Line(EventWithKey("b")) + "\n\n";
  auto at_limit = ParseBatch(two, true, limits, kNow);
  ASSERT_TRUE(at_limit.ok()) << at_limit.error().message;
  EXPECT_EQ(at_limit->size(), 2u);
  auto over = ParseBatch(two + "not even json\n", true, limits, kNow);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind, ErrorKind::kTooLarge);
  EXPECT_EQ(over.error().code, "batch_too_large");
}

TEST(ParseBatchTest, InvalidUtf8FailsTheWholeRequest) {
  const std::string bad = "\"\xED\xA0\x80\"";
  for (bool ndjson : {false, true}) {
    const std::string body = ndjson ? Line(BaseEvent()) + "\n{\"site_id\": " + bad + "}\n"
                                    : "[" + Line(BaseEvent()) + ", " + bad + "]";
    auto items = ParseBatch(body, ndjson, ValidationLimits{}, kNow);
    ASSERT_FALSE(items.ok()) << (ndjson ? "ndjson" : "array");
    EXPECT_EQ(items.error().kind, ErrorKind::kMalformed);
    EXPECT_EQ(items.error().code, "invalid_utf8");
  }
}

}  // namespace
}  // namespace dataplane::ingest
