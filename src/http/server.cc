#include "http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "core/log.h"
#include "http/status.h"

namespace dataplane::http {
using core::Error;
using core::ErrorKind;
using core::Failure;
using core::LogError;
using core::LogWarn;
using core::OkStatus;
using core::Status;
namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

namespace {

std::vector<std::unique_ptr<asio::io_context>> MakeContexts(const HttpServerOptions& options) {
  const int threads = std::max(1, options.threads);
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  if (!options.context_per_thread) {
    contexts.push_back(std::make_unique<asio::io_context>(threads));
    return contexts;
  }
  for (int i = 0; i < threads; ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
  return contexts;
}

constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

// Read errors that mean "the client sent something we refuse" rather than "it went away".
HttpResponse ReadErrorResponse(const beast::error_code& ec) {
  if (ec == http::error::body_limit) {
    return ErrorResponse({ErrorKind::kTooLarge, "body_too_large", "request body is too large", {}});
  }
  if (ec == http::error::header_limit) {
    return ErrorResponse(
        {ErrorKind::kTooLarge, "headers_too_large", "request headers too large", {}});
  }
  return ErrorResponse(Error::Malformed("bad_request", "malformed HTTP request: " + ec.message()));
}

bool IsDisconnect(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == beast::error::timeout ||
         ec == asio::error::operation_aborted || ec == http::error::partial_message;
}

// Answers a request we refuse before reading it whole, then discards what the client is still
// sending (bounded in bytes and time) before closing, so that the client reads the answer
// instead of a connection reset.
asio::awaitable<void> Refuse(beast::tcp_stream& stream, HttpResponse response) {
  constexpr std::size_t kMaxDrainBytes = 64 * 1024 * 1024;
  stream.expires_after(std::chrono::seconds(5));
  auto [write_ec, written] = co_await http::async_write(stream, response, kUseTuple);
  (void)written;
  if (write_ec) co_return;
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  std::vector<char> sink(64 * 1024);
  std::size_t drained = 0;
  stream.expires_after(std::chrono::seconds(5));
  while (drained < kMaxDrainBytes) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kUseTuple);
    if (ec) break;
    drained += n;
  }
}

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, Router router,
                       std::vector<Middleware> middlewares)
    : options_(std::move(options)),
      router_(std::move(router)),
      middlewares_(std::move(middlewares)),
      contexts_(MakeContexts(options_)),
      acceptor_(*contexts_.front()) {}

HttpServer::HttpServer(HttpServerOptions options) : HttpServer(std::move(options), Router(), {}) {}

void HttpServer::SetRoutes(Router router, std::vector<Middleware> middlewares) {
  router_ = std::move(router);
  middlewares_ = std::move(middlewares);
}

HttpServer::~HttpServer() { Stop(); }

std::vector<asio::any_io_executor> HttpServer::executors() {
  std::vector<asio::any_io_executor> executors;
  for (auto& context : contexts_) executors.push_back(context->get_executor());
  return executors;
}

Status HttpServer::Start() { return Start(nullptr); }

Status HttpServer::Start(std::function<asio::awaitable<void>()> before_accepting) {
  beast::error_code ec;
  const tcp::endpoint endpoint{asio::ip::make_address(options_.address, ec),
                               static_cast<unsigned short>(options_.port)};
  if (ec) return Error::Invalid("invalid_address", "", "bad listen address " + options_.address);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error::Unavailable("cannot listen on " + options_.address + ":" +
                              std::to_string(options_.port) + ": " + ec.message());
  }
  bound_port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(
      *contexts_.front(),
      [this, before = std::move(before_accepting)]() -> asio::awaitable<void> {
        if (before) co_await before();
        co_await Accept();
      },
      asio::detached);
  for (auto& context : contexts_) work_.push_back(asio::make_work_guard(*context));
  const int threads = std::max(1, options_.threads);
  for (int i = 0; i < threads; ++i) {
    asio::io_context& context = *contexts_[i % contexts_.size()];
    threads_.emplace_back([&context] { context.run(); });
  }
  return OkStatus();
}

void HttpServer::Stop() {
  if (stopping_.exchange(true)) return;
  asio::post(*contexts_.front(), [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
  const auto deadline = std::chrono::steady_clock::now() + options_.drain_timeout;
  while (in_flight_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  work_.clear();
  for (auto& context : contexts_) context->stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

asio::awaitable<void> HttpServer::Accept() {
  while (!stopping_.load()) {
    asio::io_context& context = *contexts_[next_context_++ % contexts_.size()];
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(context), kUseTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
      LogWarn("accept failed", {{"error", ec.message()}});
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(socket.get_executor(), Serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> HttpServer::Serve(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  while (!stopping_.load()) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(options_.body_limit);
    stream.expires_after(options_.read_timeout);
    auto [read_ec, bytes] = co_await http::async_read(stream, buffer, parser, kUseTuple);
    (void)bytes;
    if (read_ec) {
      if (!IsDisconnect(read_ec)) co_await Refuse(stream, ReadErrorResponse(read_ec));
      break;
    }
    ++in_flight_;
    HttpRequest request = parser.release();
    HttpResponse response = co_await Dispatch(request);
    const bool keep_alive = response.keep_alive() && !stopping_.load();
    response.keep_alive(keep_alive);
    stream.expires_after(options_.read_timeout);
    auto [write_ec, written] = co_await http::async_write(stream, response, kUseTuple);
    (void)written;
    --in_flight_;
    if (write_ec || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<HttpResponse> HttpServer::Dispatch(const HttpRequest& request) {
  RequestContext context;
  context.received = std::chrono::steady_clock::now();
  context.call.deadline = context.received + options_.request_timeout;
  Router::Match match = router_.Find(request.method(), PathOf(request.target()));
  if (match.route != nullptr) {
    context.route = match.route->pattern;
    context.route_index = match.route->index;
    context.params = std::move(match.params);
  }
  const Call call{this, request, context, match};
  co_return co_await RunLayer(0, call);
}

asio::awaitable<HttpResponse> HttpServer::RunLayer(std::size_t layer, const Call& call) {
  const HttpRequest& request = call.request;
  RequestContext& context = call.context;
  const Router::Match& match = call.match;
  try {
    if (layer < middlewares_.size()) {
      // Two words of capture: held in std::function's own buffer, no allocation per layer.
      const Next next = [&call, layer] { return call.server->RunLayer(layer + 1, call); };
      co_return co_await middlewares_[layer](request, context, next);
    }
    if (match.route != nullptr) co_return co_await match.route->handler(request, context);
    if (match.allowed.empty()) {
      throw Failure(Error{ErrorKind::kNotFound, "not_found", "no such endpoint", {}});
    }
    HttpResponse refused = ErrorResponse(
        request, Error{ErrorKind::kMethodNotAllowed,
                       "method_not_allowed",
                       std::string(request.method_string()) + " is not allowed on this path; " +
                           "allowed: " + match.allowed,
                       {}});
    refused.set(http::field::allow, match.allowed);
    co_return refused;
  } catch (const Failure& failure) {
    co_return ErrorResponse(request, failure.error());
  } catch (const std::exception& e) {
    LogError("request failed", {{"route", std::string(context.route)},
                                {"error", e.what()},
                                {"trace_id", context.call.trace.trace_id}});
    co_return ErrorResponse(request, Error{ErrorKind::kInternal, "internal", "internal error", {}});
  }
}

}  // namespace dataplane::http
