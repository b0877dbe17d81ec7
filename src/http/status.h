#pragma once
// The one place where an Error becomes an HTTP status and a JSON error body:
//   {"ok":false,"error":"<message>","code":"<code>","field":"<field>","retryable":<bool>}
// kInvalidInput → 400 or 422 (see StatusFor), kTooLarge → 413, kNotFound → 404,
// kUnauthorized → 401, kForbidden → 403, kUnavailable → 503 with Retry-After, kInternal → 500.
#include <boost/json/object.hpp>

#include "core/error.h"
#include "http/types.h"

namespace dataplane::http {

inline constexpr int kRetryAfterSeconds = 1;

http::status StatusFor(const core::Error& error);
bool IsRetryable(const core::Error& error);
boost::json::object ErrorBody(const core::Error& error);
HttpResponse ErrorResponse(const HttpRequest& request, const core::Error& error);
// For failures before a request was parsed (e.g. body too large): HTTP/1.1, connection close.
HttpResponse ErrorResponse(const core::Error& error);

}  // namespace dataplane::http
