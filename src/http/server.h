#pragma once
// HTTP/1.1 server on Boost.Beast with C++20 coroutines.
//
// One coroutine per connection reads a request, runs it through the middlewares (outermost
// first, http/middleware.h) to the Router's handler, writes the response, and repeats while
// keep-alive holds; pipelined requests are answered in order
// because the next one is read only after the previous response is written. Limits: header
// 16 KiB, body `body_limit` (413 past it), idle/read timeout `read_timeout`. Runs `threads`
// I/O threads; each connection is serialized on its own strand. By default the threads share
// one io_context, so that a thread blocked in a handler leaves the others to take every other
// connection. With `context_per_thread` each thread runs an io_context of its own and accepted
// connections are dealt to them in turn: a connection and the asynchronous work it starts on
// its executor (the Central API's calls to its sites) stay on one thread, with no wake-up of
// another thread between them; for services whose handlers never block.
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
#include <boost/asio/executor_work_guard.hpp>
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
  bool context_per_thread = false;  // see above
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
  //! The executor of the server's (first) I/O context (running from Start() to Stop()).
  boost::asio::any_io_executor executor() { return contexts_.front()->get_executor(); }
  //! One executor per I/O context: a single one unless context_per_thread.
  std::vector<boost::asio::any_io_executor> executors();

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
  // The acceptor's context first; one per thread with context_per_thread, else one for all.
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  boost::asio::ip::tcp::acceptor acceptor_;
  // Keeps each context's run() going while it has no connection yet (from Start() to Stop()).
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::size_t next_context_ = 0;  // the context of the next accepted connection
  std::vector<std::thread> threads_;
  int bound_port_ = 0;
  std::atomic<int> in_flight_{0};
  std::atomic<bool> stopping_{false};
};

}  // namespace dataplane::http
