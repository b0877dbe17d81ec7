#include "http/async_client.h"

#include <openssl/ssl.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

namespace dataplane::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using core::Error;
using core::ErrorKind;
using detail::ClientConnection;
using detail::OutgoingRequest;

bool IsIdempotentMethod(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS";
}

bool Cancelled(const asio::cancellation_state& state) {
  return state.cancelled() != asio::cancellation_type::none;
}

// A request that would put a broken or forged line on the wire is refused before any I/O.
std::optional<Error> CheckRequest(const ClientRequest& request, const std::string& endpoint) {
  const auto breaks_line = [](std::string_view s) {
    return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
  };
  const auto invalid = [&](const char* field, std::string what) {
    return Error::Invalid("invalid_request", field, endpoint + ": " + what);
  };
  if (request.method.empty() || request.method.find_first_of(" \t\r\n") != std::string::npos) {
    return invalid("method", "bad HTTP method: " + request.method);
  }
  if (breaks_line(request.target) || request.target.find(' ') != std::string::npos) {
    return invalid("target", "bad request target: " + request.target);
  }
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || breaks_line(name) || name.find(':') != std::string::npos ||
        breaks_line(value)) {
      return invalid("headers", "bad header: " + name);
    }
  }
  return std::nullopt;
}

OutgoingRequest BuildRequest(const HttpTarget& upstream, const ClientRequest& request,
                             const HttpClientOptions& options) {
  OutgoingRequest out;
  const bhttp::verb verb = bhttp::string_to_verb(request.method);
  if (verb == bhttp::verb::unknown) {
    out.method_string(request.method);
  } else {
    out.method(verb);
  }
  const std::string target = upstream.base_path + request.target;
  out.target(target.empty() ? "/" : target);
  out.version(11);
  out.set(bhttp::field::host, upstream.HostHeader());
  out.set(bhttp::field::user_agent, options.user_agent);
  if (!request.body.empty()) {
    out.set(bhttp::field::content_type, request.content_type);
    out.body() = request.body;
  }
  for (const auto& [name, value] : request.headers) out.set(name, value);
  out.prepare_payload();
  return out;
}

}  // namespace

HttpResult::HttpResult()
    : core::Result<HttpReply>(
          Error{ErrorKind::kInternal, "no_result", "the request did not complete", {}}) {}

asio::ssl::context DefaultTlsContext() {
  asio::ssl::context tls(asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
  tls.set_default_verify_paths();
  tls.set_verify_mode(asio::ssl::verify_peer);
  return tls;
}

AsyncHttpClient::AsyncHttpClient(asio::any_io_executor executor, HttpClientOptions options)
    : executor_(std::move(executor)),
      options_(std::move(options)),
      pool_(options_.max_idle_per_upstream, options_.idle_timeout) {}

AsyncHttpClient::AsyncHttpClient(asio::any_io_executor executor, HttpClientOptions options,
                                 asio::ssl::context tls)
    : AsyncHttpClient(std::move(executor), std::move(options)) {
  tls_.emplace(std::move(tls));
}

AsyncHttpClient::~AsyncHttpClient() = default;

void AsyncHttpClient::CloseIdle() { pool_.Clear(); }

std::size_t AsyncHttpClient::idle_connections() const { return pool_.size(); }

asio::ssl::context& AsyncHttpClient::TlsContext() {
  std::call_once(default_tls_once_, [this] {
    if (!tls_) tls_.emplace(DefaultTlsContext());
  });
  return *tls_;
}

asio::awaitable<HttpResult> AsyncHttpClient::Request(HttpTarget upstream, ClientRequest request) {
  // A strand per request: its deadline timer, its exchange and their cancellation never run
  // concurrently, whatever the number of threads running the executor.
  return asio::co_spawn(asio::make_strand(executor_), Run(std::move(upstream), std::move(request)),
                        asio::use_awaitable);
}

asio::awaitable<HttpResult> AsyncHttpClient::Run(HttpTarget upstream, ClientRequest request) {
  // Cancellation is looked at below rather than thrown at the next co_await.
  co_await asio::this_coro::throw_if_cancelled(false);
  const std::string endpoint = upstream.Endpoint();
  if (Cancelled(co_await asio::this_coro::cancellation_state)) {
    co_return Error{ErrorKind::kUnavailable, "cancelled", endpoint + ": cancelled", {}};
  }
  if (auto invalid = CheckRequest(request, endpoint)) co_return *invalid;
  const OutgoingRequest outgoing = BuildRequest(upstream, request, options_);
  const bool resendable = request.idempotent || IsIdempotentMethod(request.method);
  const auto timeout = request.timeout.count() > 0 ? request.timeout : options_.timeout;

  // The exchange races the deadline; whichever ends first cancels the other, and the group
  // completes once both have, so nothing outlives this frame.
  const auto strand = co_await asio::this_coro::executor;
  asio::steady_timer deadline(strand, timeout);
  std::string_view step = "resolve";
  auto [order, exception, result, deadline_ec] =
      co_await asio::experimental::make_parallel_group(
          asio::co_spawn(strand, Exchange(upstream, outgoing, resendable, step), asio::deferred),
          deadline.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);

  if (!exception && result.ok()) co_return std::move(result);  // a whole reply wins any race
  if (order[0] == 1 && !deadline_ec) {
    co_return Error{ErrorKind::kUnavailable,
                    "timeout",
                    endpoint + ": " + std::string(step) + " timed out after " +
                        std::to_string(timeout.count()) + " ms",
                    {}};
  }
  if (Cancelled(co_await asio::this_coro::cancellation_state)) {
    co_return Error{ErrorKind::kUnavailable,
                    "cancelled",
                    endpoint + ": cancelled during " + std::string(step),
                    {}};
  }
  if (exception) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(exception);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    co_return Error{ErrorKind::kInternal, "internal", endpoint + ": " + what, {}};
  }
  co_return std::move(result);
}

asio::awaitable<HttpResult> AsyncHttpClient::Exchange(const HttpTarget& upstream,
                                                      const OutgoingRequest& request,
                                                      bool resendable, std::string_view& step) {
  co_await asio::this_coro::throw_if_cancelled(false);
  const UpstreamKey key{upstream.scheme, upstream.host, upstream.port};
  std::unique_ptr<ClientConnection> connection = pool_.Take(key);
  for (;;) {
    const bool reused = connection != nullptr;
    if (!reused) {
      auto opened = co_await ClientConnection::Open(executor_, upstream,
                                                    upstream.tls() ? &TlsContext() : nullptr, step);
      if (!opened.ok()) co_return opened.error();
      connection = std::move(*opened);
    }
    detail::Exchanged exchanged = co_await connection->Exchange(request, options_, step);
    if (exchanged.reply.ok()) {
      if (exchanged.reusable) pool_.Put(key, std::move(connection));
      co_return std::move(exchanged.reply);
    }
    connection.reset();
    // Only a pooled connection the upstream closed while it was idle is worth a second try.
    const bool stale = reused && !exchanged.got_reply_bytes;
    if (!stale || !resendable || Cancelled(co_await asio::this_coro::cancellation_state)) {
      co_return std::move(exchanged.reply);
    }
  }
}

}  // namespace dataplane::http
