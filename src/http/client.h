#pragma once
// A blocking HTTP/1.1 client: a thin wrapper that runs one AsyncHttpClient request per call on
// an io_context of its own, for code that is not a coroutine (loadgen, tests).
//
// Contract (the rest is AsyncHttpClient's, async_client.h):
// - Request() blocks until the reply is read or the request failed; any HTTP status, 4xx and
//   5xx included, is a successful Result. Failures are values whose message names "host:port":
//   kUnavailable ("timeout", "unavailable", "tls_error", …) or kTooLarge.
// - One upstream per client; `options.timeout` is the overall deadline of each call (connect,
//   write, read and a resend together). One connection is kept alive between calls.
// - A request that finds its kept-alive connection closed by the server is resent once on a
//   new connection only when it is idempotent (GET, HEAD, PUT, DELETE, OPTIONS) or the caller
//   says so (ClientRequest::idempotent); a POST is not, unless asked.
// - Not thread-safe: use one HttpClient per thread. Movable.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "http/client_types.h"
#include "http/url.h"

namespace dataplane::http {

class HttpClient {
 public:
  //! An http:// client of host:port.
  HttpClient(std::string host, int port,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));
  //! A client of `upstream` (http or https); request targets are appended to its base_path.
  explicit HttpClient(HttpTarget upstream, HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  //! Sends `request` and reads the reply.
  core::Result<HttpReply> Request(ClientRequest request);
  //! Sends a request that is not marked idempotent. `content_type` is sent only with a
  //! non-empty body; `headers` are added as given (they may override Host or User-Agent).
  core::Result<HttpReply> Request(
      std::string_view method, std::string_view target, std::string_view body = {},
      std::string_view content_type = "application/json",
      const std::vector<std::pair<std::string, std::string>>& headers = {});
  core::Result<HttpReply> Get(std::string_view target) { return Request("GET", target); }
  core::Result<HttpReply> Post(std::string_view target, std::string_view body,
                               std::string_view content_type = "application/json") {
    return Request("POST", target, body, content_type);
  }

  //! Closes the kept-alive connection, if any; the next Request() reconnects.
  void Close();

  //! "host:port", as used in error messages.
  const std::string& endpoint() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dataplane::http
