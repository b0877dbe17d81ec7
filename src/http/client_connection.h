#pragma once
// One HTTP/1.1 connection of the client to one upstream, over TCP or TLS (internal to
// async_client).
//
// Open() resolves, connects and, for https, sets SNI (for a host name, not an IP address),
// requires a peer certificate that the TLS context trusts and that names the host, and
// handshakes. Exchange() writes one request and reads its reply within the client's limits.
// Neither has a timeout of its own: both honour the awaiting coroutine's cancellation slot,
// which is how the client's deadline stops them. Both report the step they are in ("resolve",
// "connect", "TLS handshake", "write", "read") through `step`, for the client's messages.
// Errors name "host:port" (codes: see async_client.h). After a failure the connection must be
// discarded. One request at a time; not thread-safe; await on a strand.
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "core/error.h"
#include "http/client_types.h"
#include "http/url.h"

namespace dataplane::http::detail {

using OutgoingRequest = boost::beast::http::request<boost::beast::http::string_body>;

// The outcome of one Exchange().
struct Exchanged {
  core::Result<HttpReply> reply;
  bool reusable = false;         // on success: the connection may carry another request
  bool got_reply_bytes = false;  // on failure: part of a reply had arrived
};

class ClientConnection {
 public:
  //! A connected (and for https, handshaken) connection whose sockets run on `io`. `tls` is
  //! required for an https upstream and ignored otherwise.
  static boost::asio::awaitable<core::Result<std::unique_ptr<ClientConnection>>> Open(
      boost::asio::any_io_executor io, const HttpTarget& upstream, boost::asio::ssl::context* tls,
      std::string_view& step);

  //! Writes `request` and reads its reply (1xx interim replies are skipped).
  boost::asio::awaitable<Exchanged> Exchange(const OutgoingRequest& request,
                                             const HttpClientOptions& limits,
                                             std::string_view& step);

  //! Use Open().
  ClientConnection(boost::asio::any_io_executor io, const HttpTarget& upstream,
                   boost::asio::ssl::context* tls);

 private:
  using TcpStream = boost::beast::tcp_stream;
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  boost::asio::awaitable<core::Status> Handshake(const std::string& host, std::string_view& step);
  core::Error Failed(std::string_view step, const boost::system::error_code& ec) const;
  core::Error ReadFailed(const boost::system::error_code& ec,
                         const HttpClientOptions& limits) const;
  TcpStream& tcp();

  const std::string endpoint_;  // "host:port"
  std::variant<TcpStream, TlsStream> stream_;
  boost::beast::flat_buffer buffer_;  // bytes read past a reply; empty between requests
};

}  // namespace dataplane::http::detail
