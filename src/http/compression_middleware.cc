#include "http/compression_middleware.h"

#include "http/gzip.h"

namespace dataplane::http {
namespace {

bool CompressibleType(std::string_view type) {
  return type.starts_with("application/json") || type.starts_with("text/") ||
         type.starts_with("application/x-ndjson") || type.starts_with("application/openmetrics");
}

void AddVary(HttpResponse& response) {
  const std::string_view vary = response[field::vary];
  if (vary.empty()) {
    response.set(field::vary, "Accept-Encoding");
  } else if (vary.find("Accept-Encoding") == std::string_view::npos) {
    response.set(field::vary, std::string(vary) + ", Accept-Encoding");
  }
}

}  // namespace

bool Compressible(const HttpResponse& response, std::size_t min_bytes) {
  return response.body().size() >= min_bytes && response[field::content_encoding].empty() &&
         CompressibleType(response[field::content_type]);
}

bool WantsGzip(const HttpRequest& request) {
  const auto it = request.find(field::accept_encoding);
  return it != request.end() && AcceptsGzip(it->value());
}

void SetGzipBody(HttpResponse& response, std::string gzip) {
  response.body() = std::move(gzip);
  response.set(field::content_encoding, "gzip");
  AddVary(response);
  response.prepare_payload();
}

Middleware CompressionMiddleware(std::size_t min_bytes) {
  return [min_bytes](const HttpRequest& request, RequestContext&,
                     const Next& next) -> boost::asio::awaitable<HttpResponse> {
    HttpResponse response = co_await next();
    if (!Compressible(response, min_bytes)) co_return response;
    if (!WantsGzip(request)) {
      AddVary(response);
      co_return response;
    }
    SetGzipBody(response, Gzip(response.body()));
    co_return response;
  };
}

}  // namespace dataplane::http
