// Out-of-order delivery never regresses a job's current state; history keeps every event.
#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "harness.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;

void Post(const std::string& body) {
  auto client = Harness::Get().Client();
  auto reply = client.Post("/v1/event", body);
  ASSERT_TRUE(reply.ok());
  ASSERT_EQ(reply->status, 200) << reply->body;
}

json::object Job(const std::string& id) {
  auto client = Harness::Get().Client();
  auto reply = client.Get("/v1/jobs/" + id);
  EXPECT_EQ(reply->status, 200) << reply->body;
  return json::parse(reply->body).as_object();
}

TEST(OutOfOrder, FinishedBeforeStartedEndsFinished) {
  const std::string job = NewUuid();
  const std::string started_at = AtOffset(-60), finished_at = AtOffset(-10);
  Post(MakeEvent(
      {.id = job, .kind = "finished", .status = "failed", .at = finished_at, .duration_s = 50}));
  Post(MakeEvent({.id = job, .kind = "started", .at = started_at}));
  Post(MakeEvent({.id = job, .kind = "progress", .at = AtOffset(-30)}));
  json::object j = Job(job);
  EXPECT_EQ(j.at("status").as_string(), "failed");
  EXPECT_EQ(j.at("last_event_kind").as_string(), "finished");
  EXPECT_EQ(j.at("last_event_at").as_string(), finished_at);
  EXPECT_EQ(j.at("finished_at").as_string(), finished_at);
  EXPECT_EQ(j.at("started_at").as_string(), started_at);
  EXPECT_EQ(j.at("duration_s").as_double(), 50);
  EXPECT_EQ(j.at("event_count").as_int64(), 3);
  EXPECT_EQ(j.at("timeline").as_array().size(), 3u);
  EXPECT_EQ(j.at("timeline").at(0).at("kind").as_string(), "started");
}

TEST(OutOfOrder, OnEqualTimesTheTerminalStatusWinsInEitherOrder) {
  const std::string at = AtOffset(-20);
  const std::string a = NewUuid(), b = NewUuid();
  Post(MakeEvent({.id = a, .kind = "progress", .at = at}));
  Post(MakeEvent({.id = a, .kind = "canceled", .at = at}));
  Post(MakeEvent({.id = b, .kind = "canceled", .at = at}));
  Post(MakeEvent({.id = b, .kind = "progress", .at = at}));
  EXPECT_EQ(Job(a).at("status").as_string(), "canceled");
  EXPECT_EQ(Job(b).at("status").as_string(), "canceled");
}

TEST(OutOfOrder, WholeLifecycleInReverseInOneBatch) {
  const std::string job = NewUuid();
  std::string batch = "[" +
                      MakeEvent({.id = job,
                                 .kind = "finished",
                                 .status = "succeeded",
                                 .at = AtOffset(-1),
                                 .duration_s = 9}) +
                      "," + MakeEvent({.id = job, .kind = "metric", .at = AtOffset(-5)}) + "," +
                      MakeEvent({.id = job, .kind = "started", .at = AtOffset(-10)}) + "]";
  auto client = Harness::Get().Client();
  auto reply = client.Post("/v1/events/batch", batch);
  ASSERT_EQ(reply->status, 200) << reply->body;
  json::object j = Job(job);
  EXPECT_EQ(j.at("status").as_string(), "succeeded");
  EXPECT_EQ(j.at("event_count").as_int64(), 3);
  EXPECT_FALSE(j.at("started_at").is_null());
}

// A job's event with its own metadata object.
std::string WithMetadata(const EventSpec& spec, json::object metadata) {
  json::object event = json::parse(MakeEvent(spec)).as_object();
  event["event"].as_object()["metadata"] = std::move(metadata);
  return json::serialize(event);
}

TEST(OutOfOrder, MetadataIsTheSameWhetherEventsComeInOneBatchOrOneByOne) {
  // started {a:1, tool}, progress {b:2}, finished {a:3}: the newest value of each key, and the
  // keys only older events carry, whatever the grouping.
  const auto events = [](const std::string& job) {
    return std::vector<std::string>{
        WithMetadata({.id = job, .kind = "started", .at = AtOffset(-30)},
                     {{"a", 1}, {"tool", "T1"}}),
        WithMetadata({.id = job, .kind = "progress", .at = AtOffset(-20)}, {{"b", 2}}),
        WithMetadata({.id = job, .kind = "finished", .status = "succeeded", .at = AtOffset(-10)},
                     {{"a", 3}})};
  };
  const std::string batched = NewUuid(), single = NewUuid();
  const auto batch_events = events(batched);
  auto client = Harness::Get().Client();
  auto reply = client.Post("/v1/events/batch", "[" + batch_events[0] + "," + batch_events[1] + "," +
                                                   batch_events[2] + "]");
  ASSERT_EQ(reply->status, 200) << reply->body;
  for (const std::string& e : events(single)) Post(e);
  const json::object want{{"a", 3}, {"b", 2}, {"tool", "T1"}};
  EXPECT_EQ(Job(batched).at("metadata").as_object(), want);
  EXPECT_EQ(Job(single).at("metadata").as_object(), want);
}

}  // namespace
}  // namespace dataplane::testing
