#pragma once
// An HTTP/1.1 client for C++20 coroutines (Boost.Asio awaitable) on the caller's executor, with
// a connection pool per upstream, an overall deadline per request, cancellation and TLS.
//
// Contract:
// - Request(upstream, request) sends one request to `upstream` (scheme, host, port; the request's
//   target is appended to upstream.base_path) and reads the whole reply. Any HTTP status, 4xx
//   and 5xx included, is a successful Result: the caller looks at `status`.
// - Failures are values (core/error.h). Each message begins with the upstream's "host:port".
//   Kind kUnavailable unless said otherwise, by code:
//     "timeout"            the deadline (request.timeout, else options.timeout) passed; it covers
//                          resolve, connect, TLS handshake, write, read and a resend together;
//     "cancelled"          the awaiting coroutine's cancellation slot was emitted (terminal
//                          cancellation, e.g. the loser of `a || b`, or bind_cancellation_slot);
//     "tls_error"          the TLS handshake failed (e.g. an untrusted certificate, or one that
//                          names another host);
//     "bad_response"       the upstream's reply is not HTTP/1.x;
//     "unavailable"        resolve, connect, write or read failed (refused, reset, EOF);
//     "response_too_large" (kTooLarge) reply headers or body over the options' limits;
//     "invalid_request"    (kInvalidInput) the method, target or a header would break the
//                          request line or a header (CR, LF, NUL); nothing is sent;
//     "internal"           (kInternal) an unexpected exception; none is known.
//   After a failure the connection is closed, never pooled.
// - Pool: a reply that keeps the connection alive returns it to the pool of its upstream
//   (scheme, host, port), which keeps up to options.max_idle_per_upstream connections for up to
//   options.idle_timeout; a request takes the most recently returned one, or opens a new one.
//   The number of connections in use is not limited: the caller bounds its concurrency.
// - Resend: a request that fails before any reply byte arrived on a reused (pooled) connection
//   — the upstream closed it while idle — is sent once more on a new connection, only if its
//   method is idempotent (GET, HEAD, PUT, DELETE, OPTIONS) or request.idempotent says so. A
//   request on a new connection is never resent, nor a timed-out or cancelled one.
// - TLS (https): through OpenSSL with the context given at construction, else one made on first
//   use that trusts the system's store. Every connection sets SNI to the host name and requires
//   a certificate the context trusts and that names the host (or IP address); this is not
//   switched off by the context.
// - Threads: Request() may be awaited by any number of coroutines at once, on any threads that
//   run the executor's context; each request runs on a strand of its own. The client owns no
//   thread and no io_context. It must outlive the requests it started; destroying it closes the
//   idle connections.
// - HttpResult is a core::Result<HttpReply> that can also be default-constructed (as an
//   Error), which co_spawn, parallel groups and `||` require of a coroutine's value.
#include <memory>
#include <mutex>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include "core/error.h"
#include "http/client_connection.h"
#include "http/client_types.h"
#include "http/idle_pool.h"
#include "http/url.h"

namespace dataplane::http {

class HttpResult : public core::Result<HttpReply> {
 public:
  using core::Result<HttpReply>::Result;
  HttpResult();  // an Error (kInternal, "no_result"): a request that never completed
  HttpResult(core::Result<HttpReply> result)  // NOLINT: implicit by design
      : core::Result<HttpReply>(std::move(result)) {}
};

//! A TLS client context that trusts the system's certificate store and verifies peers.
boost::asio::ssl::context DefaultTlsContext();

class AsyncHttpClient {
 public:
  //! https upstreams use DefaultTlsContext(), made on the first https request.
  explicit AsyncHttpClient(boost::asio::any_io_executor executor, HttpClientOptions options = {});
  //! https upstreams use `tls` (e.g. with a private CA added).
  AsyncHttpClient(boost::asio::any_io_executor executor, HttpClientOptions options,
                  boost::asio::ssl::context tls);
  ~AsyncHttpClient();
  AsyncHttpClient(const AsyncHttpClient&) = delete;
  AsyncHttpClient& operator=(const AsyncHttpClient&) = delete;

  //! Sends `request` to `upstream` and reads the reply; see the contract above.
  boost::asio::awaitable<HttpResult> Request(HttpTarget upstream, ClientRequest request);

  //! Closes every idle connection; requests in flight keep theirs.
  void CloseIdle();
  //! Idle connections in the pool, all upstreams together.
  std::size_t idle_connections() const;
  const HttpClientOptions& options() const { return options_; }

 private:
  struct UpstreamKey {
    Scheme scheme;
    std::string host;
    int port;
    auto operator<=>(const UpstreamKey&) const = default;
  };

  boost::asio::awaitable<HttpResult> Run(HttpTarget upstream, ClientRequest request);
  boost::asio::awaitable<HttpResult> Exchange(const HttpTarget& upstream,
                                              const detail::OutgoingRequest& request,
                                              bool resendable, std::string_view& step);
  boost::asio::ssl::context& TlsContext();

  const boost::asio::any_io_executor executor_;
  const HttpClientOptions options_;
  std::optional<boost::asio::ssl::context> tls_;  // set in the constructor or once in TlsContext
  std::once_flag default_tls_once_;
  detail::IdlePool<UpstreamKey, detail::ClientConnection> pool_;  // thread-safe
};

}  // namespace dataplane::http
