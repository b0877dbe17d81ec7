#pragma once
// HTTP/1.1 server on Boost.Beast with C++20 coroutines.
//
// One coroutine per connection reads a request, runs it through the middlewares (outermost
// first, http/middleware.h) to the Router's handler, writes the response, and repeats while
// keep-alive holds; pipelined requests are answered in order
// because the next one is read only after the previous response is written. Limits: header
// 16 KiB, body `body_limit` (413 past it), idle/read timeout `read_timeout`. Runs `threads`
// I/O threads on one io_context; each connection is serialized on its own strand.
// Each request gets a RequestContext whose deadline is `request_timeout` after it was read.
// A path with no route is a 404, a path with routes for other methods a 405 with Allow; both go
// through the middlewares too (they are counted and logged like any answer).
//
// A service whose own asynchronous work should share the server's I/O threads (the Central API's
// client to its sites: no thread hop between a request and its outgoing calls) constructs the
// server first, builds that work on executor(), then hands the routes over with SetRoutes()
// before Start(); such work must be stopped (or be able to be destroyed) once Stop() has stopped
// the threads, and must not outlive the server.
//
// Stop(): closes the listener, lets requests in flight finish (up to `drain_timeout`), then
// stops the I/O threads. Safe to call more than once, from any thread but an I/O thread.
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "core/error.h"
#include "http/middleware.h"
#include "http/router.h"
#include "http/types.h"

namespace dataplane::http {

struct HttpServerOptions {
  std::string address = "0.0.0.0";
  int port = 0;  // 0: any free port; port() tells which
  int threads = 2;
  std::size_t body_limit = 16 * 1024 * 1024;
  std::chrono::seconds read_timeout{60};
  std::chrono::seconds drain_timeout{10};
  std::chrono::milliseconds request_timeout{30000};  // the deadline of each request's context
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, Router router, std::vector<Middleware> middlewares);
  //! A server whose routes come later, through SetRoutes() before Start().
  explicit HttpServer(HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  //! The routes and middlewares of a server constructed without them; only before Start().
  void SetRoutes(Router router, std::vector<Middleware> middlewares);
  //! The executor of the server's I/O threads (running from Start() to Stop()).
  boost::asio::any_io_executor executor() { return io_.get_executor(); }

  core::Status Start();
  //! Start(), with `before_accepting` run on the I/O threads before the first connection is
  //! accepted: connections made meanwhile wait in the listen backlog (the Central API's first
  //! probe of its sites, so that its first answers know them).
  core::Status Start(std::function<boost::asio::awaitable<void>()> before_accepting);
  void Stop();
  int port() const { return bound_port_; }

 private:
  boost::asio::awaitable<void> Accept();
  boost::asio::awaitable<void> Serve(boost::asio::ip::tcp::socket socket);
  boost::asio::awaitable<HttpResponse> Dispatch(const HttpRequest& request);
  // One request on its way through the chain.
  struct Call {
    HttpServer* server;
    const HttpRequest& request;
    RequestContext& context;
    const Router::Match& match;
  };
  // Runs middlewares_[layer] (or, past the last, the route's handler); never throws.
  boost::asio::awaitable<HttpResponse> RunLayer(std::size_t layer, const Call& call);

  HttpServerOptions options_;
  Router router_;
  std::vector<Middleware> middlewares_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  int bound_port_ = 0;
  std::atomic<int> in_flight_{0};
  std::atomic<bool> stopping_{false};
};

}  // namespace dataplane::http
