#pragma once
// The auth middleware: asks an Authenticator who sent the request and records the answer in
// the context (`call.principal`), or refuses the request with the Authenticator's error
// (kUnauthorized → 401, kForbidden → 403, mapped in http/status.cc) without calling the
// handler. Without an auth middleware every request is anonymous (core/call_context.h); token
// auth with scopes (issue 14) is an Authenticator.
#include <functional>

#include "core/call_context.h"
#include "core/error.h"
#include "http/middleware.h"

namespace dataplane::http {

// Must be safe to call concurrently; runs on the connection's strand, so it must not block.
using Authenticator =
    std::function<core::Result<core::Principal>(const HttpRequest&, const RequestContext&)>;

Middleware AuthMiddleware(Authenticator authenticate);

}  // namespace dataplane::http
