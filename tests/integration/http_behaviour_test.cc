// HTTP/1.1 behaviour of the Local API: keep-alive, pipelining answered in order, metrics
// exposition valid for promtool, gzip answers for clients that ask (computed and cached), and a
// graceful stop that loses no acknowledged event.
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>

#include "harness.h"
#include "http/gzip.h"
#include "metrics/testing/promtool.h"

namespace dataplane::testing {
namespace {
namespace asio = boost::asio;

TEST(HttpBehaviour, PipelinedRequestsAreAnsweredInOrder) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"),
                  static_cast<unsigned short>(Harness::Get().api_port())});
  const std::string job = NewUuid();
  const std::string event = MakeEvent({.id = job});
  const std::string requests =
      "POST /v1/event HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: " +
      std::to_string(event.size()) + "\r\n\r\n" + event + "GET /v1/jobs/" + job +
      " HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /v1/nope HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
  asio::write(socket, asio::buffer(requests));
  std::string all;
  boost::system::error_code ec;
  char buf[8192];
  while (!ec) {
    const std::size_t n = socket.read_some(asio::buffer(buf), ec);
    all.append(buf, n);
  }
  const std::size_t first = all.find("HTTP/1.1 200");
  const std::size_t second = all.find("HTTP/1.1 200", first + 1);
  const std::size_t third = all.find("HTTP/1.1 404");
  ASSERT_NE(first, std::string::npos) << all;
  ASSERT_NE(second, std::string::npos) << all;
  ASSERT_NE(third, std::string::npos) << all;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_NE(all.find("\"inserted\""), std::string::npos);
  EXPECT_NE(all.find("\"timeline\""), std::string::npos);  // the GET saw the POST's commit
}

TEST(HttpBehaviour, MetricsPassPromtoolAndCountRequests) {
  auto client = Harness::Get().Client();
  ASSERT_EQ(client.Get("/v1/healthz")->status, 200);
  auto reply = client.Get("/metrics");
  ASSERT_EQ(reply->status, 200);
  EXPECT_NE(reply->headers["content-type"].find("text/plain"), std::string::npos);
  const std::string& text = reply->body;
  EXPECT_NE(
      text.find("dataplane_http_requests_total{service=\"local_api\",route=\"/v1/healthz\",method="
                "\"GET\",status=\"200\"}"),
      std::string::npos);
  EXPECT_NE(text.find("dataplane_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(text.find("dataplane_db_pool_connections"), std::string::npos);
  EXPECT_NE(text.find("process_resident_memory_bytes"), std::string::npos);
  EXPECT_TRUE(metrics::testing::PromtoolAccepts(text));
}

TEST(HttpBehaviour, AnswersAreGzippedForClientsThatAskComputedOrCached) {
  local_api::LocalApiConfig config = Harness::Get().ApiConfig();
  config.cache_ttl_s = 60;
  TestApi api(config);
  ASSERT_TRUE(api.Start().ok());
  http::HttpClient client("127.0.0.1", api.port(), std::chrono::seconds(10));
  const std::string lot = "lot-" + NewUuid();
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(client.Post("/v1/event", MakeEvent({.id = NewUuid(), .business_key = lot}))->status,
              200);
  }
  const std::string target = "/v1/jobs?job_key=" + lot;
  const std::vector<std::pair<std::string, std::string>> gzip = {{"Accept-Encoding", "gzip"}};
  // First from the database (compressed by the middleware), then from the cache (compressed once
  // with the entry), then plain for a client that does not ask.
  std::vector<std::string> bodies;
  for (int round = 0; round < 3; ++round) {
    auto reply = client.Request("GET", target, {}, "application/json", gzip);
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ(reply->status, 200);
    EXPECT_EQ(reply->Header("content-encoding"), "gzip");
    EXPECT_EQ(reply->Header("vary"), "Accept-Encoding");
    auto body = http::Gunzip(reply->body, 1 << 20);
    ASSERT_TRUE(body.ok()) << body.error().message;
    EXPECT_LT(reply->body.size(), body->size() / 2);
    bodies.push_back(*body);
  }
  auto plain = client.Get(target);
  EXPECT_EQ(plain->Header("content-encoding"), "");
  EXPECT_EQ(boost::json::parse(plain->body).at("count").as_int64(), 5);
  for (const std::string& body : bodies) EXPECT_EQ(body, plain->body);
  EXPECT_NE(client.Get("/metrics")->body.find("result=\"hit\"} 3"), std::string::npos);
  api.Stop();
}

TEST(HttpBehaviour, GracefulStopLosesNoAcknowledgedEvent) {
  TestApi api(Harness::Get().ApiConfig());
  ASSERT_TRUE(api.Start().ok());
  const int port = api.port();
  std::vector<std::string> acknowledged[4];
  std::atomic<bool> stop{false};
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      http::HttpClient client("127.0.0.1", port, std::chrono::seconds(5));
      while (!stop.load()) {
        const std::string key = NewKey();
        auto reply = client.Post("/v1/event", MakeEvent({.key = key, .id = NewUuid()}));
        if (!reply.ok()) break;  // the server went away
        if (reply->status == 200) acknowledged[t].push_back(key);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  api.Stop();
  stop = true;
  for (auto& s : senders) s.join();
  std::size_t total = 0;
  auto db = Harness::Get().Db();
  for (const auto& keys : acknowledged) {
    for (const std::string& key : keys) {
      ++total;
      EXPECT_EQ(
          db->Exec("SELECT count(*) FROM event WHERE idempotency_key = $1", {key}).Int64(0, 0), 1)
          << key;
    }
  }
  EXPECT_GT(total, 10u);
}

}  // namespace
}  // namespace dataplane::testing
