#include "http/client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <optional>

#include "http/async_client.h"

namespace dataplane::http {
namespace asio = boost::asio;

struct HttpClient::Impl {
  Impl(HttpTarget target, HttpClientOptions options)
      : upstream(std::move(target)),
        endpoint(upstream.Endpoint()),
        client(io.get_executor(), std::move(options)) {}

  const HttpTarget upstream;
  const std::string endpoint;
  asio::io_context io;  // runs only inside Request()
  AsyncHttpClient client;
};

namespace {

HttpClientOptions WithTimeout(std::chrono::milliseconds timeout) {
  HttpClientOptions options;
  options.timeout = timeout;
  return options;
}

}  // namespace

HttpClient::HttpClient(std::string host, int port, std::chrono::milliseconds timeout)
    : HttpClient(HttpTarget{Scheme::kHttp, std::move(host), port, ""}, WithTimeout(timeout)) {}

HttpClient::HttpClient(HttpTarget upstream, HttpClientOptions options) {
  options.max_idle_per_upstream = 1;
  impl_ = std::make_unique<Impl>(std::move(upstream), std::move(options));
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

const std::string& HttpClient::endpoint() const { return impl_->endpoint; }

void HttpClient::Close() { impl_->client.CloseIdle(); }

core::Result<HttpReply> HttpClient::Request(ClientRequest request) {
  std::optional<HttpResult> result;
  asio::co_spawn(impl_->io, impl_->client.Request(impl_->upstream, std::move(request)),
                 [&result](std::exception_ptr, HttpResult r) { result = std::move(r); });
  // Run until this request completes; a lookup it abandoned may finish during a later call.
  impl_->io.restart();
  while (!result && impl_->io.run_one() > 0) {
  }
  if (!result) return HttpResult();  // unreachable: co_spawn keeps the io_context busy
  return std::move(*result);
}

core::Result<HttpReply> HttpClient::Request(
    std::string_view method, std::string_view target, std::string_view body,
    std::string_view content_type,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  ClientRequest request;
  request.method = std::string(method);
  request.target = std::string(target);
  request.body = std::string(body);
  request.content_type = std::string(content_type);
  request.headers = headers;
  return Request(std::move(request));
}

}  // namespace dataplane::http
