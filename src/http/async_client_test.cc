// AsyncHttpClient against the shared test server (http/testing/test_server.h).
#include "http/async_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <thread>

#include "http/testing/test_server.h"

namespace dataplane::http {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using core::ErrorKind;
using testing::TestServer;
using testing::TestServerOptions;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Runs `request` on `io` until it completes (io.run() returns: an idle pool holds no work).
HttpResult Await(asio::io_context& io, asio::awaitable<HttpResult> request) {
  std::optional<HttpResult> result;
  asio::co_spawn(io, std::move(request), [&](std::exception_ptr e, HttpResult r) {
    if (e) std::rethrow_exception(e);
    result = std::move(r);
  });
  io.restart();
  io.run();
  return std::move(*result);
}

ClientRequest Get(std::string target) {
  ClientRequest request;
  request.target = std::move(target);
  return request;
}

ClientRequest Post(std::string target, std::string body, bool idempotent = false) {
  ClientRequest request;
  request.method = "POST";
  request.target = std::move(target);
  request.body = std::move(body);
  request.idempotent = idempotent;
  return request;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A TLS client context that trusts only `server`'s certificate.
ssl::context Trusting(const TestServer& server) {
  ssl::context tls(ssl::context::tls_client);
  tls.add_certificate_authority(asio::buffer(server.certificate_pem()));
  return tls;
}

TEST(AsyncHttpClientTest, GetRoundTrip) {
  TestServer server;
  server.SetHandler([](const HttpRequest& request) {
    HttpResponse response{http::status::ok, 11, "GET " + std::string(request.target())};
    response.set("X-Multi", "a");
    response.insert("X-Multi", "b");
    return response;
  });
  asio::io_context io;
  AsyncHttpClient client(io.get_executor());
  auto reply = Await(io, client.Request(server.target(), Get("/v1/healthz?x=1")));
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "GET /v1/healthz?x=1");
  EXPECT_EQ(reply->Header("x-multi"), "a, b");
  EXPECT_EQ(reply->Header("content-length"), "19");
}

TEST(AsyncHttpClientTest, PostRoundTripUnderTheBasePath) {
  TestServer server;
  server.SetHandler([](const HttpRequest& request) {
    HttpResponse response{http::status::created, 11,
                          std::string(request.target()) + " " + request.body()};
    response.set("X-Content-Type", request[http::field::content_type]);
    response.set("X-Host", request[http::field::host]);
    return response;
  });
  asio::io_context io;
  AsyncHttpClient client(io.get_executor());
  HttpTarget upstream = server.target();
  upstream.base_path = "/api";
  auto reply = Await(io, client.Request(upstream, Post("/v1/event", R"({"a":1})")));
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->status, 201);
  EXPECT_EQ(reply->body, R"(/api/v1/event {"a":1})");
  EXPECT_EQ(reply->Header("x-content-type"), "application/json");
  EXPECT_EQ(reply->Header("x-host"), server.target().Endpoint());
}

TEST(AsyncHttpClientTest, ErrorStatusIsAReplyNotAnError) {
  TestServer server;
  server.SetHandler([](const HttpRequest&) {
    return HttpResponse{http::status::service_unavailable, 11, "busy"};
  });
  asio::io_context io;
  AsyncHttpClient client(io.get_executor());
  auto reply = Await(io, client.Request(server.target(), Get("/")));
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->status, 503);
}

TEST(AsyncHttpClientTest, HeadReadsNoBody) {
  TestServer server;
  server.SetHandler([](const HttpRequest&) {
    HttpResponse response{http::status::ok, 11};
    response.content_length(1000);
    return response;
  });
  asio::io_context io;
  AsyncHttpClient client(io.get_executor());
  ClientRequest head = Get("/");
  head.method = "HEAD";
  auto reply = Await(io, client.Request(server.target(), head));
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->Header("content-length"), "1000");
  EXPECT_EQ(reply->body, "");
  EXPECT_EQ(client.idle_connections(), 1u);
}

TEST(AsyncHttpClientTest, SequentialRequestsReuseOneConnection) {
  TestServer server;
  asio::io_context io;
  AsyncHttpClient client(io.get_executor());
  for (int i = 0; i < 5; ++i) {
    auto reply = Await(io, client.Request(server.target(), Get("/" + std::to_string(i))));
    ASSERT_TRUE(reply.ok()) << reply.error().message;
  }
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(server.requests(), 5);
  EXPECT_EQ(client.idle_connections(), 1u);
}

TEST(AsyncHttpClientTest, ConnectionsIdlePastTheTimeoutAreNotReused) {
  TestServer server;
  asio::io_context io;
  HttpClientOptions options;
  options.idle_timeout = 50ms;
  AsyncHttpClient client(io.get_executor(), options);
  ASSERT_TRUE(Await(io, client.Request(server.target(), Get("/"))).ok());
  std::this_thread::sleep_for(150ms);
  ASSERT_TRUE(Await(io, client.Request(server.target(), Get("/"))).ok());
  EXPECT_EQ(server.connections(), 2);
}

// 50 coroutines at once on an io_context run by two threads, spread over `servers`.
void RunConcurrently(const std::vector<TestServer*>& servers) {
  asio::io_context io;
  AsyncHttpClient client(io.get_executor());
  constexpr int kRequests = 50;
  std::atomic<int> ok{0};
  std::mutex mu;
  std::string first_error;  // guarded by mu
  for (int i = 0; i < kRequests; ++i) {
    TestServer* server = servers[static_cast<std::size_t>(i) % servers.size()];
    asio::co_spawn(
        io,
        [&, server, i]() -> asio::awaitable<void> {
          const std::string target = "/n/" + std::to_string(i);
          HttpResult reply = co_await client.Request(server->target(), Get(target));
          if (reply.ok() && reply->body == "GET " + target + "\n") {
            ++ok;
          } else {
            std::lock_guard lock(mu);
            if (first_error.empty()) first_error = reply.ok() ? reply->body : reply.error().message;
          }
        },
        asio::detached);
  }
  std::thread helper([&] { io.run(); });
  io.run();
  helper.join();
  EXPECT_EQ(ok.load(), kRequests) << first_error;
  int requests = 0;
  for (TestServer* server : servers) {
    EXPECT_LE(server->connections(), kRequests / static_cast<int>(servers.size()));
    requests += server->requests();
  }
  EXPECT_EQ(requests, kRequests);
  EXPECT_LE(client.idle_connections(), servers.size() * client.options().max_idle_per_upstream);
}

TEST(AsyncHttpClientTest, FiftyConcurrentRequestsToOneUpstream) {
  TestServer server;
  RunConcurrently({&server});
}

TEST(AsyncHttpClientTest, FiftyConcurrentRequestsToTwoUpstreams) {
  TestServer a;
  TestServer b;
  RunConcurrently({&a, &b});
  EXPECT_EQ(a.requests(), 25);
  EXPECT_EQ(b.requests(), 25);
}

TEST(AsyncHttpClientTest, DeadlineExpiresLongBeforeADelayedServerAnswers) {
  TestServer server({.response_delay = 5s});
  asio::io_context io;
  AsyncHttpClient client(io.get_executor());
  ClientRequest request = Get("/slow");
  request.timeout = 200ms;
  const auto start = Clock::now();
  auto reply = Await(io, client.Request(server.target(), request));
  EXPECT_LT(Clock::now() - start, 2s);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(reply.error().code, "timeout");
  EXPECT_TRUE(
      Contains(reply.error().message, server.target().Endpoint() + ": read timed out after 200 ms"))
      << reply.error().message;
  EXPECT_EQ(client.idle_connections(), 0u);
}

TEST(AsyncHttpClientTest, CancellationSlotEndsTheRequestPromptly) {
  TestServer server({.response_delay = 5s});
  asio::io_context io;
  AsyncHttpClient client(io.get_executor());
  asio::cancellation_signal cancel;
  std::optional<HttpResult> reply;
  asio::co_spawn(io, client.Request(server.target(), Get("/slow")),
                 asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr, HttpResult r) {
                   reply = std::move(r);
                 }));
  asio::steady_timer later(io, 100ms);
  later.async_wait(
      [&](boost::system::error_code) { cancel.emit(asio::cancellation_type::terminal); });
  const auto start = Clock::now();
  io.run();
  EXPECT_LT(Clock::now() - start, 2s);
  ASSERT_TRUE(reply.has_value());
  ASSERT_FALSE(reply->ok());
  EXPECT_EQ(reply->error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(reply->error().code, "cancelled");
  EXPECT_TRUE(Contains(reply->error().message, server.target().Endpoint()))
      << reply->error().message;
  EXPECT_EQ(client.idle_connections(), 0u);
  EXPECT_EQ(server.requests(), 1);
}

TEST(AsyncHttpClientTest, LosingAnAwaitableOrCancelsTheRequest) {
  using namespace asio::experimental::awaitable_operators;
  TestServer server({.response_delay = 5s});
  asio::io_context io;
  AsyncHttpClient client(io.get_executor());
  std::optional<std::size_t> winner;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer timer(co_await asio::this_coro::executor, 100ms);
        auto result = co_await (client.Request(server.target(), Get("/slow")) ||
                                timer.async_wait(asio::use_awaitable));
        winner = result.index();
      },
      asio::detached);
  const auto start = Clock::now();
  io.run();
  EXPECT_LT(Clock::now() - start, 2s);
  EXPECT_EQ(winner, 1u);
  EXPECT_EQ(client.idle_connections(), 0u);
}

TEST(AsyncHttpClientTest, BodyOverTheLimitIsTooLarge) {
  TestServer server;
  server.SetHandler([](const HttpRequest&) {
    return HttpResponse{http::status::ok, 11, std::string(2 << 20, 'x')};
  });
  asio::io_context io;
  HttpClientOptions options;
  options.max_body_bytes = 1 << 20;
  AsyncHttpClient client(io.get_executor(), options);
  auto reply = Await(io, client.Request(server.target(), Get("/big")));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind, ErrorKind::kTooLarge);
  EXPECT_EQ(reply.error().code, "response_too_large");
  EXPECT_EQ(client.idle_connections(), 0u);

  options.max_body_bytes = 4 << 20;
  AsyncHttpClient roomy(io.get_executor(), options);
  auto fits = Await(io, roomy.Request(server.target(), Get("/big")));
  ASSERT_TRUE(fits.ok()) << fits.error().message;
  EXPECT_EQ(fits->body.size(), std::size_t{2 << 20});
}

TEST(AsyncHttpClientTest, HeadersOverTheLimitAreTooLarge) {
  TestServer server;
  server.SetHandler([](const HttpRequest&) {
    HttpResponse response{http::status::ok, 11, "ok"};
    for (int i = 0; i < 20; ++i) response.insert("X-Huge", std::string(5000, 'h'));
    return response;
  });
  asio::io_context io;
  AsyncHttpClient client(io.get_executor());
  auto reply = Await(io, client.Request(server.target(), Get("/")));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind, ErrorKind::kTooLarge);
  EXPECT_EQ(reply.error().code, "response_too_large");
}

// The server closes each connection after its response, so the second request of a pair meets
// a kept-alive connection that is already closed.
class StaleKeepAliveTest : public ::testing::Test {
 protected:
  StaleKeepAliveTest() : server_({.close_after_response = true}) {
    server_.SetHandler([this](const HttpRequest& request) {
      if (request.method() == http::verb::post) ++posts_;
      return HttpResponse{http::status::ok, 11, "ok"};
    });
  }

  // Sends `first`, waits until the server has surely closed, then sends `second`.
  HttpResult Pair(ClientRequest first, ClientRequest second) {
    auto reply = Await(io_, client_.Request(server_.target(), std::move(first)));
    EXPECT_TRUE(reply.ok()) << reply.error().message;
    EXPECT_EQ(client_.idle_connections(), 1u);
    std::this_thread::sleep_for(50ms);
    return Await(io_, client_.Request(server_.target(), std::move(second)));
  }

  TestServer server_;
  std::atomic<int> posts_{0};
  asio::io_context io_;
  AsyncHttpClient client_{io_.get_executor()};
};

TEST_F(StaleKeepAliveTest, GetIsResentOnceOnANewConnection) {
  auto reply = Pair(Get("/a"), Get("/b"));
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(server_.connections(), 2);
  EXPECT_EQ(server_.requests(), 2);
}

TEST_F(StaleKeepAliveTest, PostIsNotResent) {
  auto reply = Pair(Post("/e", "{}"), Post("/e", "{}"));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind, ErrorKind::kUnavailable);
  EXPECT_TRUE(Contains(reply.error().message, server_.target().Endpoint()))
      << reply.error().message;
  EXPECT_EQ(posts_.load(), 1);
  EXPECT_EQ(server_.connections(), 1);
}

TEST_F(StaleKeepAliveTest, PostMarkedIdempotentIsResent) {
  auto reply = Pair(Post("/e", "{}"), Post("/e", "{}", /*idempotent=*/true));
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(posts_.load(), 2);
  EXPECT_EQ(server_.connections(), 2);
}

TEST(AsyncHttpClientTest, ANewConnectionIsNeverRetried) {
  // A listener that accepts and at once closes: the GET fails before any reply byte.
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  int accepted = 0;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (;;) {
          auto socket = co_await acceptor.async_accept(asio::use_awaitable);
          ++accepted;
          socket.close();
        }
      },
      asio::detached);
  AsyncHttpClient client(io.get_executor());
  const HttpTarget upstream{Scheme::kHttp, "127.0.0.1", acceptor.local_endpoint().port(), ""};
  std::optional<HttpResult> reply;
  asio::co_spawn(io, client.Request(upstream, Get("/")), [&](std::exception_ptr, HttpResult r) {
    reply = std::move(r);
    acceptor.close();
  });
  io.run();
  ASSERT_TRUE(reply.has_value());
  ASSERT_FALSE(reply->ok());
  EXPECT_EQ(reply->error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(accepted, 1);
}

TEST(AsyncHttpClientTest, TlsRoundTripTrustingTheTestCertificate) {
  TestServer server({.tls = true});
  asio::io_context io;
  AsyncHttpClient client(io.get_executor(), {}, Trusting(server));
  for (int i = 0; i < 2; ++i) {
    auto reply = Await(io, client.Request(server.target(), Post("/secure", "hello")));
    ASSERT_TRUE(reply.ok()) << reply.error().message;
    EXPECT_EQ(reply->body, "POST /secure\nhello");
  }
  EXPECT_EQ(server.connections(), 1);
}

TEST(AsyncHttpClientTest, TlsByHostNameSetsSniAndVerifiesTheName) {
  TestServer server({.tls = true});
  asio::io_context io;
  AsyncHttpClient client(io.get_executor(), {}, Trusting(server));
  HttpTarget upstream = server.target();
  upstream.host = "localhost";  // resolved (maybe to ::1 first); the certificate names it
  auto reply = Await(io, client.Request(upstream, Get("/")));
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(server.last_server_name(), "localhost");

  ASSERT_TRUE(Await(io, client.Request(server.target(), Get("/"))).ok());
  EXPECT_EQ(server.last_server_name(), "");  // no SNI for an IP address
}

TEST(AsyncHttpClientTest, TlsFailsWhenTheCertificateIsNotTrusted) {
  TestServer server({.tls = true});
  asio::io_context io;
  AsyncHttpClient client(io.get_executor());  // the system's trust store
  auto reply = Await(io, client.Request(server.target(), Get("/")));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(reply.error().code, "tls_error");
  EXPECT_TRUE(Contains(reply.error().message, server.target().Endpoint())) << reply.error().message;
  EXPECT_EQ(server.requests(), 0);
}

TEST(AsyncHttpClientTest, TlsFailsWhenTheCertificateNamesAnotherHost) {
  TestServer server({.tls = true, .certificate_names = "DNS:other.invalid"});
  asio::io_context io;
  AsyncHttpClient client(io.get_executor(), {}, Trusting(server));
  auto reply = Await(io, client.Request(server.target(), Get("/")));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().code, "tls_error");
  EXPECT_EQ(server.requests(), 0);
}

TEST(AsyncHttpClientTest, ConnectionRefusedIsUnavailableNamingHostAndPort) {
  const unsigned short port = testing::UnusedLocalPort();
  asio::io_context io;
  AsyncHttpClient client(io.get_executor());
  auto reply = Await(io, client.Request({Scheme::kHttp, "127.0.0.1", port, ""}, Get("/")));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind, ErrorKind::kUnavailable);
  EXPECT_TRUE(Contains(reply.error().message, "127.0.0.1:" + std::to_string(port)))
      << reply.error().message;
}

TEST(AsyncHttpClientTest, UnknownHostIsUnavailable) {
  asio::io_context io;
  AsyncHttpClient client(io.get_executor());
  ClientRequest request = Get("/");
  request.timeout = 3s;  // a resolver without a reachable DNS server may take long to say no
  auto reply = Await(io, client.Request({Scheme::kHttp, "no-such-host.invalid", 80, ""}, request));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind, ErrorKind::kUnavailable);
  EXPECT_TRUE(reply.error().code == "unavailable" || reply.error().code == "timeout");
  EXPECT_TRUE(Contains(reply.error().message, "no-such-host.invalid:80")) << reply.error().message;
}

TEST(AsyncHttpClientTest, ARequestThatWouldBreakTheHeaderIsRefused) {
  TestServer server;
  asio::io_context io;
  AsyncHttpClient client(io.get_executor());
  ClientRequest request = Get("/");
  request.headers = {{"X-Evil", "a\r\nX-Injected: 1"}};
  auto reply = Await(io, client.Request(server.target(), request));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(reply.error().field, "headers");
  EXPECT_EQ(server.connections(), 0);
}

}  // namespace
}  // namespace dataplane::http
