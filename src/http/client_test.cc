// HttpClient against a tiny Beast server on 127.0.0.1:0 run on a background thread.
#include "http/client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

namespace dataplane::http {
using core::ErrorKind;
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// kEcho answers every request on a kept-alive connection; kCloseAfterReply answers (claiming
// keep-alive) and then drops the connection, as an idle-timeout would; kSilent never answers.
enum class Mode { kEcho, kCloseAfterReply, kSilent };

class TestServer {
 public:
  explicit TestServer(Mode mode)
      : mode_(mode), acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}) {
    asio::co_spawn(ioc_, Listen(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~TestServer() {
    ioc_.stop();
    thread_.join();
  }
  int port() const { return acceptor_.local_endpoint().port(); }
  int accepts() const { return accepts_.load(); }

 private:
  asio::awaitable<void> Listen() {
    for (;;) {
      tcp::socket socket = co_await acceptor_.async_accept(asio::use_awaitable);
      ++accepts_;
      asio::co_spawn(ioc_, Serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> Serve(tcp::socket socket) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    for (;;) {
      http::request<http::string_body> req;
      co_await http::async_read(socket, buffer, req, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      if (mode_ == Mode::kSilent) {
        asio::steady_timer forever(ioc_, std::chrono::hours(1));
        co_await forever.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        co_return;
      }
      http::response<http::string_body> res{http::status::ok, 11};
      if (req.target() == "/busy") res.result(http::status::service_unavailable);
      res.set("X-Echo-Content-Type", req[http::field::content_type]);
      res.set("X-Multi", "a");
      res.insert("X-Multi", "b");
      res.body() =
          std::string(req.method_string()) + " " + std::string(req.target()) + "\n" + req.body();
      res.keep_alive(true);
      res.prepare_payload();
      co_await http::async_write(socket, res, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || mode_ == Mode::kCloseAfterReply) co_return;
    }
  }

  Mode mode_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::atomic<int> accepts_{0};
  std::thread thread_;
};

TEST(HttpClientTest, GetReturnsStatusBodyAndLowerCaseHeaders) {
  TestServer server(Mode::kEcho);
  HttpClient client("127.0.0.1", server.port());
  auto reply = client.Get("/v1/healthz");
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "GET /v1/healthz\n");
  EXPECT_EQ(reply->Header("x-multi"), "a, b");
  EXPECT_EQ(reply->Header("content-length"), "16");
  EXPECT_EQ(reply->Header("absent"), "");
}

TEST(HttpClientTest, PostSendsBodyAndContentType) {
  TestServer server(Mode::kEcho);
  HttpClient client("127.0.0.1", server.port());
  auto reply = client.Post("/v1/event", R"({"a":1})");
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->body, "POST /v1/event\n{\"a\":1}");
  EXPECT_EQ(reply->Header("x-echo-content-type"), "application/json");

  auto ndjson = client.Request("POST", "/v1/events/batch", "{}\n{}\n", "application/x-ndjson",
                               {{"Authorization", "Bearer t"}});
  ASSERT_TRUE(ndjson.ok()) << ndjson.error().message;
  EXPECT_EQ(ndjson->Header("x-echo-content-type"), "application/x-ndjson");
}

TEST(HttpClientTest, ErrorStatusIsAReplyNotAnError) {
  TestServer server(Mode::kEcho);
  HttpClient client("127.0.0.1", server.port());
  auto reply = client.Get("/busy");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->status, 503);
}

TEST(HttpClientTest, KeepsTheConnectionAlive) {
  TestServer server(Mode::kEcho);
  HttpClient client("127.0.0.1", server.port());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(client.Get("/x").ok());
  EXPECT_EQ(server.accepts(), 1);
}

TEST(HttpClientTest, ReconnectsWhenTheServerClosedTheKeptAliveConnection) {
  TestServer server(Mode::kCloseAfterReply);
  HttpClient client("127.0.0.1", server.port());
  for (int i = 0; i < 3; ++i) {
    auto reply = client.Get("/x");
    ASSERT_TRUE(reply.ok()) << "request " << i << ": " << reply.error().message;
    // Give the server time to close, so the next request hits a dead kept-alive connection.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(server.accepts(), 3);
}

TEST(HttpClientTest, ConnectFailureIsUnavailableNamingTheEndpoint) {
  int port = 0;
  {
    asio::io_context ioc;
    tcp::acceptor probe(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }
  HttpClient client("127.0.0.1", port, std::chrono::milliseconds(500));
  auto reply = client.Get("/x");
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(reply.error().message.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << reply.error().message;
}

TEST(HttpClientTest, SilentServerTimesOut) {
  TestServer server(Mode::kSilent);
  HttpClient client("127.0.0.1", server.port(), std::chrono::milliseconds(200));
  const auto start = std::chrono::steady_clock::now();
  auto reply = client.Get("/x");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(reply.error().message.find("timed out"), std::string::npos) << reply.error().message;
  EXPECT_NE(reply.error().message.find(client.endpoint()), std::string::npos);
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

}  // namespace
}  // namespace dataplane::http
