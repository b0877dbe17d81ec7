#include "http/client.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <optional>

namespace dataplane::http {
using core::Error;
using core::ErrorKind;
using core::OkStatus;
using core::Result;
using core::Status;
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::uint64_t kBodyLimit = std::uint64_t{64} << 20;
constexpr std::string_view kUserAgent = "dataplane-http-client";

// Errors that mean the server closed a kept-alive connection before our request reached it.
bool IsClosedByPeer(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string HostHeader(const std::string& host, int port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// One attempt's outcome; `closed_by_peer` says whether a retry on a new connection may help.
struct Attempt {
  Result<HttpReply> reply;
  bool closed_by_peer = false;
};

}  // namespace

struct HttpClient::Impl {
  std::string host;
  int port = 0;
  std::chrono::milliseconds timeout;
  std::string endpoint;  // "host:port"
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;  // engaged while a connection is open
  beast::flat_buffer buffer;

  // Runs the io_context until every pending operation has completed.
  void Run() {
    ioc.restart();
    ioc.run();
  }

  Error Failed(std::string_view what, const beast::error_code& ec) const {
    if (ec == beast::error::timeout || ec == asio::error::timed_out) {
      return Error::Unavailable(std::string(what) + " " + endpoint + ": timed out after " +
                                std::to_string(timeout.count()) + " ms");
    }
    if (ec == http::error::body_limit) {
      return {ErrorKind::kTooLarge,
              "reply_too_large",
              std::string(what) + " " + endpoint + ": reply body over 64 MiB",
              {}};
    }
    return Error::Unavailable(std::string(what) + " " + endpoint + ": " + ec.message());
  }

  Result<tcp::resolver::results_type> Resolve() {
    tcp::resolver resolver(ioc);
    beast::error_code result_ec;
    tcp::resolver::results_type results;
    bool done = false;
    resolver.async_resolve(host, std::to_string(port),
                           [&](const beast::error_code& ec, tcp::resolver::results_type r) {
                             result_ec = ec;
                             results = std::move(r);
                             done = true;
                           });
    ioc.restart();
    ioc.run_for(timeout);
    if (!done) {
      resolver.cancel();
      Run();
      result_ec = asio::error::timed_out;
    }
    if (result_ec) return Failed("resolve", result_ec);
    return results;
  }

  Status Connect() {
    auto results = Resolve();
    if (!results.ok()) return results.error();
    stream.emplace(ioc);
    buffer.consume(buffer.size());
    beast::error_code result_ec;
    stream->expires_after(timeout);
    stream->async_connect(
        *results, [&](const beast::error_code& ec, const tcp::endpoint&) { result_ec = ec; });
    Run();
    if (result_ec) {
      Close();
      return Failed("connect to", result_ec);
    }
    return OkStatus();
  }

  Attempt Exchange(http::request<http::string_body>& req) {
    beast::error_code result_ec;
    stream->expires_after(timeout);
    http::async_write(*stream, req,
                      [&](const beast::error_code& ec, std::size_t) { result_ec = ec; });
    Run();
    if (result_ec) {
      Close();
      return {Failed("send to", result_ec), IsClosedByPeer(result_ec)};
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);
    http::async_read(*stream, buffer, parser,
                     [&](const beast::error_code& ec, std::size_t) { result_ec = ec; });
    Run();
    if (result_ec) {
      const bool closed_by_peer = IsClosedByPeer(result_ec) && !parser.got_some();
      Close();
      return {Failed("read from", result_ec), closed_by_peer};
    }
    auto& msg = parser.get();
    HttpReply reply;
    reply.status = static_cast<int>(msg.result_int());
    for (const auto& field : msg) {
      auto [it, inserted] = reply.headers.emplace(Lower(field.name_string()), field.value());
      if (!inserted) it->second.append(", ").append(field.value());
    }
    const bool keep_alive = msg.keep_alive();
    reply.body = std::move(msg.body());
    if (!keep_alive) Close();
    return {std::move(reply), false};
  }

  void Close() {
    if (!stream) return;
    beast::error_code ignored;
    stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream->socket().close(ignored);
    stream.reset();
  }
};

HttpClient::HttpClient(std::string host, int port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->endpoint = host + ":" + std::to_string(port);
  impl_->host = std::move(host);
  impl_->port = port;
  impl_->timeout = timeout;
}

HttpClient::~HttpClient() {
  if (impl_) impl_->Close();
}

HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

const std::string& HttpClient::endpoint() const { return impl_->endpoint; }

void HttpClient::Close() { impl_->Close(); }

Result<HttpReply> HttpClient::Request(
    std::string_view method, std::string_view target, std::string_view body,
    std::string_view content_type,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  http::request<http::string_body> req;
  const http::verb verb = http::string_to_verb(method);
  if (verb == http::verb::unknown) {
    req.method_string(method);
  } else {
    req.method(verb);
  }
  req.target(target);
  req.version(11);
  req.set(http::field::host, HostHeader(impl_->host, impl_->port));
  req.set(http::field::user_agent, kUserAgent);
  if (!body.empty()) {
    req.set(http::field::content_type, content_type);
    req.body().assign(body);
  }
  for (const auto& [name, value] : headers) req.set(name, value);
  req.prepare_payload();

  for (int attempt = 0;; ++attempt) {
    const bool fresh = !impl_->stream;
    if (fresh) {
      if (auto connected = impl_->Connect(); !connected.ok()) return connected.error();
    }
    Attempt result = impl_->Exchange(req);
    if (result.reply.ok() || !result.closed_by_peer || fresh || attempt > 0) {
      return std::move(result.reply);
    }
  }
}

}  // namespace dataplane::http
