#pragma once
// The one place where an Error becomes an HTTP status, its headers and a JSON error body:
//   {"ok":false,"error":"<message>","code":"<code>","field":"<field>","retryable":<bool>}
// kMalformed → 400, kInvalidInput → 422, kTooLarge → 413, kNotFound → 404,
// kMethodNotAllowed → 405, kUnauthorized → 401, kForbidden → 403, kUnavailable → 503 with
// Retry-After, kBadGateway → 502, kInternal → 500.
#include <boost/json/object.hpp>

#include "core/error.h"
#include "http/types.h"

namespace dataplane::http {

inline constexpr int kRetryAfterSeconds = 1;

http::status StatusFor(const core::Error& error);
bool IsRetryable(const core::Error& error);
boost::json::object ErrorBody(const core::Error& error);
HttpResponse ErrorResponse(const HttpRequest& request, const core::Error& error);
//! A JSON response of the caller's body with the status and headers of `kind` — for an answer
//! that reports a failure in its own format (the health check's "degraded").
HttpResponse KindResponse(const HttpRequest& request, core::ErrorKind kind, std::string body);
// For failures before a request was parsed (e.g. body too large): HTTP/1.1, connection close.
HttpResponse ErrorResponse(const core::Error& error);

}  // namespace dataplane::http
