#include "http/status.h"

#include <boost/json/serialize.hpp>

namespace dataplane::http {
using core::Error;
using core::ErrorKind;

http::status StatusFor(const Error& error) {
  switch (error.kind) {
    case ErrorKind::kMalformed:
      return http::status::bad_request;
    case ErrorKind::kInvalidInput:
      return http::status::unprocessable_entity;
    case ErrorKind::kTooLarge:
      return http::status::payload_too_large;
    case ErrorKind::kNotFound:
      return http::status::not_found;
    case ErrorKind::kMethodNotAllowed:
      return http::status::method_not_allowed;
    case ErrorKind::kUnauthorized:
      return http::status::unauthorized;
    case ErrorKind::kForbidden:
      return http::status::forbidden;
    case ErrorKind::kUnavailable:
      return http::status::service_unavailable;
    case ErrorKind::kBadGateway:
      return http::status::bad_gateway;
    case ErrorKind::kInternal:
      return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

bool IsRetryable(const Error& error) {
  return error.kind == ErrorKind::kUnavailable || error.kind == ErrorKind::kBadGateway ||
         error.kind == ErrorKind::kInternal;
}

boost::json::object ErrorBody(const Error& error) {
  boost::json::object body;
  body["ok"] = false;
  body["error"] = error.message;
  body["code"] = error.code;
  if (!error.field.empty()) body["field"] = error.field;
  body["retryable"] = IsRetryable(error);
  return body;
}

HttpResponse KindResponse(const HttpRequest& request, ErrorKind kind, std::string body) {
  HttpResponse response =
      JsonResponse(request, StatusFor(Error{kind, {}, {}, {}}), std::move(body));
  if (kind == ErrorKind::kUnavailable) {
    response.set(http::field::retry_after, std::to_string(kRetryAfterSeconds));
  }
  return response;
}

HttpResponse ErrorResponse(const HttpRequest& request, const Error& error) {
  return KindResponse(request, error.kind, boost::json::serialize(ErrorBody(error)));
}

HttpResponse ErrorResponse(const Error& error) {
  HttpRequest none;
  none.version(11);
  none.keep_alive(false);
  return ErrorResponse(none, error);
}

HttpResponse JsonResponse(const HttpRequest& request, http::status status, std::string body) {
  HttpResponse response{status, request.version()};
  response.set(http::field::content_type, "application/json");
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

}  // namespace dataplane::http
