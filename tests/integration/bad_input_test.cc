// Every class of bad input gets its 4xx with a machine-readable code, and nothing is stored.
#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "harness.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;

struct BadCase {
  const char* name;
  std::string body;
  int status;
  const char* code;
};

std::string Mutate(const std::string& base, const std::function<void(json::object&)>& change) {
  json::value v = json::parse(base);
  change(v.as_object());
  return json::serialize(v);
}

int EventsFor(const std::string& entity_id) {
  return std::stoi(Harness::Get().Scalar("SELECT count(*) FROM event WHERE entity_id::text = '" +
                                         entity_id + "'"));
}

TEST(BadInput, EachClassIsRefusedAndNothingIsStored) {
  const std::string job = NewUuid();
  const std::string base = MakeEvent({.id = job});
  std::string nested = base.substr(0, base.size() - 1) + ",\"deep\":";
  for (int i = 0; i < 200; ++i) nested += "[";
  for (int i = 0; i < 200; ++i) nested += "]";
  nested += "}";
  std::string invalid_utf8 = base;
  invalid_utf8.replace(invalid_utf8.find("litho-scan"), 10, "litho\xC0\xAFscan");

  const std::vector<BadCase> cases = {
      {"malformed JSON", base.substr(0, base.size() - 3), 400, "malformed_json"},
      {"not an object", "[1,2]", 422, "wrong_type"},
      {"wrong type", Mutate(base, [](json::object& o) { o["site_id"] = 42; }), 422, "wrong_type"},
      {"missing field", Mutate(base, [](json::object& o) { o.erase("idempotency_key"); }), 422,
       "missing_field"},
      {"bad uuid",
       Mutate(base, [](json::object& o) { o["entity"].as_object()["id"] = "not-a-uuid"; }), 422,
       "invalid_uuid"},
      {"bad time",
       Mutate(base, [](json::object& o) { o["event"].as_object()["at"] = "2026-02-30T00:00:00Z"; }),
       422, "invalid_time"},
      {"no offset",
       Mutate(base, [](json::object& o) { o["event"].as_object()["at"] = "2026-11-29T00:00:00"; }),
       422, "invalid_time"},
      {"far future",
       Mutate(base, [](json::object& o) { o["event"].as_object()["at"] = AtOffset(3600); }), 422,
       "event_in_future"},
      {"too old",
       Mutate(base, [](json::object& o) { o["event"].as_object()["at"] = AtOffset(-40 * 86400); }),
       422, "event_too_old"},
      {"bad kind",
       Mutate(base, [](json::object& o) { o["event"].as_object()["kind"] = "exploded"; }), 422,
       "invalid_enum"},
      {"finished without status",
       Mutate(base, [](json::object& o) { o["event"].as_object()["kind"] = "finished"; }), 422,
       "missing_field"},
      {"NaN-like metric",
       Mutate(base,
              [](json::object& o) {
                o["event"].as_object()["metrics"] = {{"duration_s", "fast"}};
              }),
       422, "wrong_type"},
      {"NUL in metadata",
       Mutate(base,
              [](json::object& o) {
                o["event"].as_object()["metadata"] = {{"tool", std::string("a\0b", 3)}};
              }),
       422, "nul_character"},
      {"invalid UTF-8", invalid_utf8, 400, "invalid_utf8"},
      {"deeply nested", nested, 400, "too_deeply_nested"},
      {"oversized body",
       base.substr(0, base.size() - 1) + ",\"pad\":\"" + std::string(1100 * 1024, 'x') + "\"}", 413,
       "body_too_large"},
  };
  for (const BadCase& c : cases) {
    auto client = Harness::Get().Client();
    auto reply = client.Post("/v1/event", c.body);
    ASSERT_TRUE(reply.ok()) << c.name;
    EXPECT_EQ(reply->status, c.status) << c.name << ": " << reply->body;
    json::value body = json::parse(reply->body);
    EXPECT_EQ(body.at("code").as_string(), c.code) << c.name;
    EXPECT_EQ(body.at("ok").as_bool(), false) << c.name;
    EXPECT_EQ(body.at("retryable").as_bool(), false) << c.name;
  }
  EXPECT_EQ(EventsFor(job), 0);
}

TEST(BadInput, BatchWithMixedItemsStoresTheGoodOnesAndReportsTheBadByIndex) {
  const std::string good1 = NewUuid(), good2 = NewUuid(), bad = NewUuid();
  const std::string batch =
      "[" + MakeEvent({.id = good1}) + "," +
      Mutate(MakeEvent({.id = bad}), [](json::object& o) { o["site_id"] = "fab 1"; }) + "," +
      MakeEvent({.id = good2}) + "," + "17" + "]";
  auto client = Harness::Get().Client();
  auto reply = client.Post("/v1/events/batch", batch);
  ASSERT_EQ(reply->status, 200) << reply->body;
  json::value v = json::parse(reply->body);
  EXPECT_EQ(v.at("total").as_int64(), 4);
  EXPECT_EQ(v.at("inserted").as_int64(), 2);
  EXPECT_EQ(v.at("rejected").as_int64(), 2);
  const json::array& errors = v.at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors.at(0).at("index").as_int64(), 1);
  EXPECT_EQ(errors.at(0).at("field").as_string(), "site_id");
  EXPECT_EQ(errors.at(0).at("retryable").as_bool(), false);
  EXPECT_EQ(errors.at(1).at("index").as_int64(), 3);
  EXPECT_EQ(EventsFor(good1), 1);
  EXPECT_EQ(EventsFor(good2), 1);
  EXPECT_EQ(EventsFor(bad), 0);
}

TEST(BadInput, NdjsonBatchIsAccepted) {
  const std::string a = NewUuid(), b = NewUuid();
  auto client = Harness::Get().Client();
  auto reply = client.Request("POST", "/v1/events/batch",
                              MakeEvent({.id = a}) + "\n\n" + MakeEvent({.id = b}) + "\n{broken\n",
                              "application/x-ndjson");
  ASSERT_EQ(reply->status, 200) << reply->body;
  json::value v = json::parse(reply->body);
  EXPECT_EQ(v.at("inserted").as_int64(), 2);
  EXPECT_EQ(v.at("rejected").as_int64(), 1);
  EXPECT_EQ(v.at("errors").at(0).at("index").as_int64(), 2);
}

TEST(BadInput, OversizedBatchIsRefusedWhole) {
  const std::string job = NewUuid();
  std::string batch = "[";
  for (int i = 0; i < 101; ++i) batch += (i ? "," : "") + MakeEvent({.id = job});
  auto client = Harness::Get().Client();
  auto reply = client.Post("/v1/events/batch", batch + "]");
  EXPECT_EQ(reply->status, 413) << reply->body;
  EXPECT_EQ(json::parse(reply->body).at("code").as_string(), "batch_too_large");
  EXPECT_EQ(EventsFor(job), 0);
}

TEST(BadInput, AliasesOfTheOriginalPathsWork) {
  auto client = Harness::Get().Client();
  auto single = client.Post("/v1/ingest/events", MakeEvent({.id = NewUuid()}));
  EXPECT_EQ(single->status, 200) << single->body;
  auto batch = client.Post("/v1/ingest/events:batch", "[" + MakeEvent({.id = NewUuid()}) + "]");
  EXPECT_EQ(batch->status, 200) << batch->body;
}

}  // namespace
}  // namespace dataplane::testing
