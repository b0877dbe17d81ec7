#include "http/testing/test_server.h"

#include <openssl/ssl.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <mutex>
#include <optional>
#include <thread>

#include "http/testing/self_signed_cert.h"

namespace dataplane::http::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using asio::ip::tcp;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

HttpResponse Echo(const HttpRequest& request) {
  HttpResponse response{http::status::ok, 11};
  response.body() = std::string(request.method_string()) + " " + std::string(request.target()) +
                    "\n" + request.body();
  return response;
}

ssl::context ServerContext(const SelfSignedCert& cert) {
  ssl::context context(ssl::context::tls_server);
  context.use_certificate_chain(asio::buffer(cert.certificate_pem));
  context.use_private_key(asio::buffer(cert.private_key_pem), ssl::context::pem);
  return context;
}

}  // namespace

struct TestServer::Impl {
  explicit Impl(TestServerOptions o)
      : options(std::move(o)),
        acceptor(io, {asio::ip::make_address("127.0.0.1"), options.port}),
        port(acceptor.local_endpoint().port()) {
    if (options.tls) {
      const SelfSignedCert cert = MakeSelfSignedCert(options.certificate_names);
      certificate_pem = cert.certificate_pem;
      tls.emplace(ServerContext(cert));
    }
    asio::co_spawn(io, Accept(), asio::detached);
    thread = std::thread([this] { io.run(); });
  }

  ~Impl() {
    io.stop();
    thread.join();
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(kUseTuple);
      if (ec) co_return;
      ++connections;
      if (tls) {
        asio::co_spawn(io, ServeTls(std::move(socket)), asio::detached);
      } else {
        asio::co_spawn(io, ServePlain(std::move(socket)), asio::detached);
      }
    }
  }

  asio::awaitable<void> ServePlain(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    co_await Serve(stream);
  }

  asio::awaitable<void> ServeTls(tcp::socket socket) {
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls);
    auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, kUseTuple);
    if (ec) co_return;
    const char* name = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
    {
      std::lock_guard lock(mu);
      server_name = name != nullptr ? name : "";
    }
    co_await Serve(stream);
  }

  // Returns when the connection should close; the caller's stream closes it without a word.
  template <typename Stream>
  asio::awaitable<void> Serve(Stream& stream) {
    beast::flat_buffer buffer;
    for (;;) {
      HttpRequest request;
      auto [read_ec, read] = co_await http::async_read(stream, buffer, request, kUseTuple);
      (void)read;
      if (read_ec) co_return;
      ++requests;
      HttpResponse response = Respond(request);
      if (options.response_delay.count() > 0) {
        asio::steady_timer delay(io, options.response_delay);
        co_await delay.async_wait(kUseTuple);
      }
      auto [write_ec, written] = co_await http::async_write(stream, response, kUseTuple);
      (void)written;
      if (write_ec || !request.keep_alive() || !response.keep_alive() ||
          options.close_after_response) {
        co_return;
      }
    }
  }

  HttpResponse Respond(const HttpRequest& request) {
    TestHandler current;
    {
      std::lock_guard lock(mu);
      current = handler;
    }
    HttpResponse response;
    try {
      response = current(request);
    } catch (const std::exception& e) {
      response = HttpResponse{http::status::internal_server_error, 11, e.what()};
    }
    if (!response.has_content_length() && !response.chunked()) response.prepare_payload();
    return response;
  }

  const TestServerOptions options;
  std::optional<ssl::context> tls;  // engaged with options.tls; outlives the streams of `io`
  std::string certificate_pem;
  asio::io_context io;
  tcp::acceptor acceptor;
  const int port;
  std::mutex mu;
  TestHandler handler = Echo;  // guarded by mu
  std::string server_name;     // guarded by mu
  std::atomic<int> connections{0};
  std::atomic<int> requests{0};
  std::thread thread;  // runs `io`; started last
};

TestServer::TestServer(TestServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

TestServer::~TestServer() = default;

void TestServer::SetHandler(TestHandler handler) {
  std::lock_guard lock(impl_->mu);
  impl_->handler = std::move(handler);
}

int TestServer::port() const { return impl_->port; }

HttpTarget TestServer::target() const {
  return HttpTarget{impl_->tls ? Scheme::kHttps : Scheme::kHttp, "127.0.0.1", port(), ""};
}

std::string TestServer::url() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

int TestServer::connections() const { return impl_->connections.load(); }

int TestServer::requests() const { return impl_->requests.load(); }

const std::string& TestServer::certificate_pem() const { return impl_->certificate_pem; }

std::string TestServer::last_server_name() const {
  std::lock_guard lock(impl_->mu);
  return impl_->server_name;
}

unsigned short UnusedLocalPort() {
  asio::io_context io;
  tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
  return probe.local_endpoint().port();
}

}  // namespace dataplane::http::testing
