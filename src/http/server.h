#pragma once
// HTTP/1.1 server on Boost.Beast with C++20 coroutines.
//
// One coroutine per connection reads a request, dispatches it through the Router, writes the
// response, and repeats while keep-alive holds; pipelined requests are answered in order
// because the next one is read only after the previous response is written. Limits: header
// 16 KiB, body `body_limit` (413 past it), idle/read timeout `read_timeout`. Runs `threads`
// I/O threads on one io_context; each connection is serialized on its own strand.
//
// Stop(): closes the listener, lets requests in flight finish (up to `drain_timeout`), then
// stops the I/O threads. Safe to call more than once, from any thread but an I/O thread.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "core/error.h"
#include "http/router.h"
#include "http/types.h"
#include "metrics/registry.h"

namespace dataplane::http {

struct HttpServerOptions {
  std::string address = "0.0.0.0";
  int port = 0;  // 0: any free port; port() tells which
  int threads = 2;
  std::size_t body_limit = 16 * 1024 * 1024;
  std::chrono::seconds read_timeout{60};
  std::chrono::seconds drain_timeout{10};
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, Router router, metrics::MetricsRegistry& metrics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  core::Status Start();
  void Stop();
  int port() const { return bound_port_; }

 private:
  boost::asio::awaitable<void> Accept();
  boost::asio::awaitable<void> Serve(boost::asio::ip::tcp::socket socket);
  boost::asio::awaitable<HttpResponse> Dispatch(const HttpRequest& request);

  HttpServerOptions options_;
  Router router_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  int bound_port_ = 0;
  std::atomic<int> in_flight_{0};
  std::atomic<bool> stopping_{false};
  metrics::Family<metrics::Counter>& requests_;
  metrics::Family<metrics::Histogram>& latency_;
};

}  // namespace dataplane::http
