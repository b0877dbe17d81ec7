// An idempotency key is stored once, whatever the event time, the batch, the server restarts
// or the concurrency.
#include <thread>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "harness.h"

namespace dataplane::testing {
namespace {
namespace json = boost::json;

std::string PostStatus(http::HttpClient& client, const std::string& body) {
  auto reply = client.Post("/v1/event", body);
  if (!reply.ok() || reply->status != 200) return "error";
  return std::string(json::parse(reply->body).at("status").as_string());
}

int StoredEvents(const std::string& key) {
  return std::stoi(
      Harness::Get().Scalar("SELECT count(*) FROM event WHERE idempotency_key = '" + key + "'"));
}

TEST(Idempotency, SameKeyTwiceIsStoredOnce) {
  auto client = Harness::Get().Client();
  const std::string key = NewKey(), job = NewUuid();
  const std::string body = MakeEvent({.key = key, .id = job});
  EXPECT_EQ(PostStatus(client, body), "inserted");
  EXPECT_EQ(PostStatus(client, body), "duplicate");
  EXPECT_EQ(StoredEvents(key), 1);
  EXPECT_EQ(Harness::Get().Scalar("SELECT event_count FROM job WHERE job_id = '" + job + "'"), "1");
}

TEST(Idempotency, RetryWithARegeneratedTimeIsStillADuplicate) {
  auto client = Harness::Get().Client();
  const std::string key = NewKey(), job = NewUuid();
  EXPECT_EQ(PostStatus(client, MakeEvent({.key = key, .id = job, .at = AtOffset(-3 * 86400)})),
            "inserted");
  // Another day, so another partition: the key registry still finds it.
  EXPECT_EQ(PostStatus(client, MakeEvent({.key = key, .id = job, .at = AtOffset(0)})), "duplicate");
  EXPECT_EQ(StoredEvents(key), 1);
}

TEST(Idempotency, SameKeyTwiceInOneBatch) {
  auto client = Harness::Get().Client();
  const std::string key = NewKey();
  const std::string e = MakeEvent({.key = key, .id = NewUuid()});
  auto reply = client.Post("/v1/events/batch", "[" + e + "," + e + "]");
  ASSERT_TRUE(reply.ok());
  ASSERT_EQ(reply->status, 200);
  json::value v = json::parse(reply->body);
  EXPECT_EQ(v.at("total").as_int64(), 2);
  EXPECT_EQ(v.at("inserted").as_int64(), 1);
  EXPECT_EQ(v.at("duplicates").as_int64(), 1);
  EXPECT_EQ(v.at("rejected").as_int64(), 0);
  EXPECT_EQ(StoredEvents(key), 1);
}

TEST(Idempotency, DuplicateIsRecognizedAfterAServerRestart) {
  const std::string key = NewKey();
  const std::string body = MakeEvent({.key = key, .id = NewUuid()});
  {
    auto client = Harness::Get().Client();
    EXPECT_EQ(PostStatus(client, body), "inserted");
  }
  Harness::Get().RestartApi();
  auto client = Harness::Get().Client();
  EXPECT_EQ(PostStatus(client, body), "duplicate");
  EXPECT_EQ(StoredEvents(key), 1);
}

TEST(Idempotency, ConcurrentSendersOfOneKeyGetExactlyOneInsert) {
  const std::string key = NewKey();
  const std::string body = MakeEvent({.key = key, .id = NewUuid()});
  std::atomic<int> inserted{0}, duplicates{0};
  std::vector<std::thread> senders;
  for (int i = 0; i < 8; ++i) {
    senders.emplace_back([&] {
      auto client = Harness::Get().Client();
      const std::string s = PostStatus(client, body);
      (s == "inserted" ? inserted : duplicates)++;
      EXPECT_NE(s, "error");
    });
  }
  for (auto& t : senders) t.join();
  EXPECT_EQ(inserted.load(), 1);
  EXPECT_EQ(duplicates.load(), 7);
  EXPECT_EQ(StoredEvents(key), 1);
}

}  // namespace
}  // namespace dataplane::testing
