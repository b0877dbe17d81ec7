// HttpClient, the blocking wrapper, against the shared test server.
#include "http/client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "http/testing/test_server.h"

namespace dataplane::http {
namespace {

using core::ErrorKind;
using testing::TestServer;
using namespace std::chrono_literals;

HttpResponse EchoWithHeaders(const HttpRequest& request) {
  HttpResponse response{http::status::ok, 11,
                        std::string(request.method_string()) + " " + std::string(request.target()) +
                            "\n" + request.body()};
  if (request.target() == "/busy") response.result(http::status::service_unavailable);
  response.set("X-Echo-Content-Type", request[http::field::content_type]);
  response.set("X-Echo-Authorization", request[http::field::authorization]);
  response.set("X-Multi", "a");
  response.insert("X-Multi", "b");
  return response;
}

TEST(HttpClientTest, GetReturnsStatusBodyAndLowerCaseHeaders) {
  TestServer server;
  server.SetHandler(EchoWithHeaders);
  HttpClient client("127.0.0.1", server.port());
  auto reply = client.Get("/v1/healthz");
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "GET /v1/healthz\n");
  EXPECT_EQ(reply->Header("x-multi"), "a, b");
  EXPECT_EQ(reply->Header("content-length"), "16");
  EXPECT_EQ(reply->Header("absent"), "");
}

TEST(HttpClientTest, PostSendsBodyContentTypeAndHeaders) {
  TestServer server;
  server.SetHandler(EchoWithHeaders);
  HttpClient client("127.0.0.1", server.port());
  auto reply = client.Post("/v1/event", R"({"a":1})");
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->body, "POST /v1/event\n{\"a\":1}");
  EXPECT_EQ(reply->Header("x-echo-content-type"), "application/json");

  auto ndjson = client.Request("POST", "/v1/events/batch", "{}\n{}\n", "application/x-ndjson",
                               {{"Authorization", "Bearer t"}});
  ASSERT_TRUE(ndjson.ok()) << ndjson.error().message;
  EXPECT_EQ(ndjson->Header("x-echo-content-type"), "application/x-ndjson");
  EXPECT_EQ(ndjson->Header("x-echo-authorization"), "Bearer t");
}

TEST(HttpClientTest, ErrorStatusIsAReplyNotAnError) {
  TestServer server;
  server.SetHandler(EchoWithHeaders);
  HttpClient client("127.0.0.1", server.port());
  auto reply = client.Get("/busy");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->status, 503);
}

TEST(HttpClientTest, KeepsTheConnectionAliveUntilClosed) {
  TestServer server;
  HttpClient client("127.0.0.1", server.port());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.Get("/x").ok());
  EXPECT_EQ(server.connections(), 1);
  client.Close();
  ASSERT_TRUE(client.Get("/x").ok());
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpClientTest, UpstreamWithABasePath) {
  TestServer server;
  HttpTarget upstream = server.target();
  upstream.base_path = "/prefix";
  HttpClient client(upstream);
  auto reply = client.Get("/v1/x");
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->body, "GET /prefix/v1/x\n");
  EXPECT_EQ(client.endpoint(), server.target().Endpoint());
}

TEST(HttpClientTest, GetIsResentWhenTheServerClosedTheKeptAliveConnection) {
  TestServer server({.close_after_response = true});
  HttpClient client("127.0.0.1", server.port());
  for (int i = 0; i < 3; ++i) {
    auto reply = client.Get("/x");
    ASSERT_TRUE(reply.ok()) << "request " << i << ": " << reply.error().message;
    // Give the server time to close, so the next request hits a dead kept-alive connection.
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(server.connections(), 3);
}

TEST(HttpClientTest, PostIsResentOnlyWhenMarkedIdempotent) {
  TestServer server({.close_after_response = true});
  HttpClient client("127.0.0.1", server.port());
  ASSERT_TRUE(client.Post("/e", "{}").ok());
  std::this_thread::sleep_for(20ms);
  auto refused = client.Post("/e", "{}");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(server.requests(), 1);

  ASSERT_TRUE(client.Post("/e", "{}").ok());  // a new connection
  std::this_thread::sleep_for(20ms);
  ClientRequest again;
  again.method = "POST";
  again.target = "/e";
  again.body = "{}";
  again.idempotent = true;
  auto resent = client.Request(again);
  ASSERT_TRUE(resent.ok()) << resent.error().message;
  EXPECT_EQ(server.requests(), 3);
}

TEST(HttpClientTest, ConnectFailureIsUnavailableNamingTheEndpoint) {
  const int port = testing::UnusedLocalPort();
  HttpClient client("127.0.0.1", port, 500ms);
  auto reply = client.Get("/x");
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(reply.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << reply.error().message;
}

TEST(HttpClientTest, SilentServerTimesOut) {
  TestServer server({.response_delay = 1h});
  HttpClient client("127.0.0.1", server.port(), 200ms);
  const auto start = std::chrono::steady_clock::now();
  auto reply = client.Get("/x");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(reply.error().code, "timeout");
  EXPECT_NE(reply.error().message.find("timed out"), std::string::npos) << reply.error().message;
  EXPECT_NE(reply.error().message.find(client.endpoint()), std::string::npos);
  EXPECT_LT(elapsed, 2s);
}

TEST(HttpClientTest, MovedClientKeepsWorking) {
  TestServer server;
  HttpClient first("127.0.0.1", server.port());
  ASSERT_TRUE(first.Get("/a").ok());
  HttpClient second = std::move(first);
  ASSERT_TRUE(second.Get("/b").ok());
  EXPECT_EQ(server.connections(), 1);
}

}  // namespace
}  // namespace dataplane::http
