#pragma once
// A real HTTP/1.1 server on 127.0.0.1 for tests of HTTP clients. Test-only: it lives in the
// dataplane_http_testing library, which the dataplane binary never links.
//
// It listens from construction to destruction on a free port (or options.port), on one thread
// of its own. Each connection reads a request, gets the handler's response (by default 200 with
// the body "METHOD target\n" + request body), waits options.response_delay, writes it and reads
// the next request while keep-alive holds. Options:
// - close_after_response: close the connection after each response although the response
//   claims keep-alive, so the client's next request meets a stale kept-alive connection;
// - tls: serve https with a self-signed certificate made in memory at start; clients trust it
//   by adding certificate_pem() to their TLS context.
// A handler that throws gets a 500 carrying the exception's message. SetHandler, the counters
// and the accessors may be called from any thread; the handler runs on the server's thread.
// Destruction stops at once: responses still delayed are dropped with their connections.
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "http/types.h"
#include "http/url.h"

namespace dataplane::http::testing {

struct TestServerOptions {
  unsigned short port = 0;  // 0: any free port
  std::chrono::milliseconds response_delay{0};
  bool close_after_response = false;
  bool tls = false;
  std::string certificate_names = "IP:127.0.0.1,DNS:localhost";  // the certificate's SAN
};

using TestHandler = std::function<HttpResponse(const HttpRequest&)>;

class TestServer {
 public:
  explicit TestServer(TestServerOptions options = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  //! Replaces the handler for the requests read from now on.
  void SetHandler(TestHandler handler);

  int port() const;
  //! This server as an upstream: http or https, host 127.0.0.1, no base path.
  HttpTarget target() const;
  //! "http://127.0.0.1:port" or "https://…".
  std::string url() const;
  //! Connections accepted (before any TLS handshake) and requests read, so far.
  int connections() const;
  int requests() const;
  //! The PEM of the server's certificate; empty without TLS.
  const std::string& certificate_pem() const;
  //! The SNI host name of the last TLS handshake; empty when the client sent none.
  std::string last_server_name() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

//! A port of 127.0.0.1 that nothing listens on (it was free a moment ago).
unsigned short UnusedLocalPort();

}  // namespace dataplane::http::testing
