#pragma once
// Compresses answers for clients that ask for it: a response of at least `min_bytes` whose type
// is JSON or text goes out gzip-encoded (level 1: a 72 KB page of 100 jobs becomes 8.8 KB in
// 0.4 ms) when the request's Accept-Encoding takes gzip (http/gzip.h). Such responses always
// carry `Vary: Accept-Encoding`, so that a shared cache keeps the two forms apart. A response
// that already has a Content-Encoding (a handler that keeps compressed answers, the Local API's
// query cache) is passed through untouched. Innermost in the chain, so that the metrics and the
// access log see the bytes that are sent.
#include <cstddef>

#include "http/middleware.h"

namespace dataplane::http {

inline constexpr std::size_t kDefaultCompressMinBytes = 1024;

Middleware CompressionMiddleware(std::size_t min_bytes = kDefaultCompressMinBytes);

//! Whether a response of this type and size is worth compressing (shared with handlers that
//! compress for themselves).
bool Compressible(const HttpResponse& response, std::size_t min_bytes = kDefaultCompressMinBytes);

//! Whether `request` takes a gzip answer.
bool WantsGzip(const HttpRequest& request);

//! Makes `response` the gzip form of itself with `gzip` as its body (already compressed).
void SetGzipBody(HttpResponse& response, std::string gzip);

}  // namespace dataplane::http
