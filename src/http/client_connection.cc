#include "http/client_connection.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>

#include "http/resolve.h"

namespace dataplane::http::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;

constexpr std::size_t kReadChunkBytes = 16 * 1024;  // below max_header_bytes: the limit still bites
using asio::ip::tcp;
using boost::system::error_code;
using core::Error;
using core::ErrorKind;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsIpAddress(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

HttpReply ToReply(bhttp::response<bhttp::string_body>& msg) {
  HttpReply reply;
  reply.status = static_cast<int>(msg.result_int());
  for (const auto& field : msg) {
    auto [it, inserted] = reply.headers.emplace(Lower(field.name_string()), field.value());
    if (!inserted) it->second.append(", ").append(field.value());
  }
  reply.body = std::move(msg.body());
  return reply;
}

}  // namespace

ClientConnection::ClientConnection(asio::any_io_executor io, const HttpTarget& upstream,
                                   ssl::context* tls)
    : endpoint_(upstream.Endpoint()),
      stream_(upstream.tls()
                  ? std::variant<TcpStream, TlsStream>(std::in_place_type<TlsStream>, io, *tls)
                  : std::variant<TcpStream, TlsStream>(std::in_place_type<TcpStream>, io)) {
  // Beast reads at most the buffer's free capacity (at least 512 bytes) per read: without room
  // a 64 KiB answer takes over a hundred reads and as many resumptions. Kept well below the
  // header limit, which Beast checks only on a header still incomplete after a read.
  buffer_.reserve(kReadChunkBytes);
}

ClientConnection::TcpStream& ClientConnection::tcp() {
  return std::visit([](auto& s) -> TcpStream& { return beast::get_lowest_layer(s); }, stream_);
}

asio::awaitable<core::Result<std::unique_ptr<ClientConnection>>> ClientConnection::Open(
    asio::any_io_executor io, const HttpTarget& upstream, ssl::context* tls,
    std::string_view& step) {
  step = "resolve";
  auto endpoints = co_await Resolve(io, upstream);
  if (!endpoints.ok()) co_return endpoints.error();

  auto connection = std::make_unique<ClientConnection>(io, upstream, tls);
  step = "connect";
  auto [ec, endpoint] = co_await connection->tcp().async_connect(*endpoints, kUseTuple);
  (void)endpoint;
  if (ec) co_return connection->Failed(step, ec);
  connection->tcp().socket().set_option(tcp::no_delay(true), ec);
  if (upstream.tls()) {
    if (auto shaken = co_await connection->Handshake(upstream.host, step); !shaken.ok()) {
      co_return shaken.error();
    }
  }
  co_return connection;
}

asio::awaitable<core::Status> ClientConnection::Handshake(const std::string& host,
                                                          std::string_view& step) {
  step = "TLS handshake";
  auto& stream = std::get<TlsStream>(stream_);
  const auto tls_error = [&](std::string message) {
    return Error{
        ErrorKind::kUnavailable, "tls_error", endpoint_ + ": TLS handshake: " + message, {}};
  };
  // RFC 6066 forbids an IP address as server name; the certificate check below covers both.
  if (!IsIpAddress(host) && SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()) != 1) {
    co_return tls_error("cannot set the server name");
  }
  error_code ec;
  stream.set_verify_mode(ssl::verify_peer, ec);
  if (!ec) stream.set_verify_callback(ssl::host_name_verification(host), ec);
  if (ec) co_return tls_error(ec.message());
  auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::client, kUseTuple);
  if (handshake_ec) {
    std::string message = handshake_ec.message();
    const long verified = SSL_get_verify_result(stream.native_handle());
    if (verified != X509_V_OK)
      message += std::string(" (") + X509_verify_cert_error_string(verified) + ")";
    co_return tls_error(std::move(message));
  }
  co_return core::OkStatus();
}

asio::awaitable<Exchanged> ClientConnection::Exchange(const OutgoingRequest& request,
                                                      const HttpClientOptions& limits,
                                                      std::string_view& step) {
  step = "write";
  auto [write_ec, written] = co_await std::visit(
      [&](auto& s) { return bhttp::async_write(s, request, kUseTuple); }, stream_);
  (void)written;
  if (write_ec) co_return Exchanged{Failed(step, write_ec), false, false};

  step = "read";
  bool got_reply_bytes = false;
  for (;;) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    parser.body_limit(limits.max_body_bytes);
    parser.skip(request.method() == bhttp::verb::head);
    auto [read_ec, read] = co_await std::visit(
        [&](auto& s) { return bhttp::async_read(s, buffer_, parser, kUseTuple); }, stream_);
    (void)read;
    got_reply_bytes = got_reply_bytes || parser.got_some();
    if (read_ec) co_return Exchanged{ReadFailed(read_ec, limits), false, got_reply_bytes};
    const unsigned status = parser.get().result_int();
    if (status / 100 == 1 && status != 101) continue;  // an interim reply; the final one follows
    // A reply delimited by EOF, a protocol switch or unread bytes end the connection's use.
    const bool reusable =
        parser.get().keep_alive() && !parser.need_eof() && status != 101 && buffer_.size() == 0;
    co_return Exchanged{ToReply(parser.get()), reusable, true};
  }
}

Error ClientConnection::Failed(std::string_view step, const error_code& ec) const {
  return Error::Unavailable(endpoint_ + ": " + std::string(step) + ": " + ec.message());
}

Error ClientConnection::ReadFailed(const error_code& ec, const HttpClientOptions& limits) const {
  if (ec == bhttp::error::body_limit) {
    return {ErrorKind::kTooLarge,
            "response_too_large",
            endpoint_ + ": response body over " + std::to_string(limits.max_body_bytes) + " bytes",
            {}};
  }
  if (ec == bhttp::error::header_limit) {
    return {
        ErrorKind::kTooLarge,
        "response_too_large",
        endpoint_ + ": response headers over " + std::to_string(limits.max_header_bytes) + " bytes",
        {}};
  }
  const bool malformed =
      ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category() &&
      ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
  if (malformed) {
    return {ErrorKind::kUnavailable,
            "bad_response",
            endpoint_ + ": malformed reply: " + ec.message(),
            {}};
  }
  return Failed("read", ec);
}

}  // namespace dataplane::http::detail
