#pragma once
// A small synchronous HTTP/1.1 client on Boost.Beast: one keep-alive connection to one host:port.
//
// Contract:
// - Request() sends one request and reads the whole reply (body up to 64 MiB). Any HTTP status,
//   including 4xx and 5xx, is a successful Result: the caller looks at `status`.
// - The connection is opened lazily and kept alive between requests. When a kept-alive connection
//   turns out to have been closed by the server (EOF or reset before a reply arrived), the client
//   reconnects and sends the request once more; a fresh connection is never retried. A reply
//   with "Connection: close" closes the connection and the next Request() reconnects.
// - Failures are values (core/error.h): a resolve or connect failure, a timeout, or a broken
//   connection is an Error of kind kUnavailable whose message names "host:port"; a reply body
//   over the limit is kTooLarge. After any failure the connection is closed.
// - `timeout` bounds the connect, and separately the write plus read of one attempt.
// - Not thread-safe: use one HttpClient per thread. The client owns its socket and io_context.
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace dataplane::http {

struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names; repeated headers joined ", "

  //! The value of header `lower_case_name`, or "" when absent.
  std::string_view Header(const std::string& lower_case_name) const {
    auto it = headers.find(lower_case_name);
    return it == headers.end() ? std::string_view{} : std::string_view{it->second};
  }
};

class HttpClient {
 public:
  HttpClient(std::string host, int port,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  //! Sends one request and reads the reply; reconnects once if the kept-alive connection was
  //! closed by the server. `content_type` is sent only with a non-empty body. `headers` are
  //! added as given (they may override Host or User-Agent).
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
