#include "http/auth_middleware.h"

namespace dataplane::http {

Middleware AuthMiddleware(Authenticator authenticate) {
  return [authenticate = std::move(authenticate)](
             const HttpRequest& request, RequestContext& context,
             const Next& next) -> boost::asio::awaitable<HttpResponse> {
    core::Result<core::Principal> principal = authenticate(request, context);
    if (!principal) throw core::Failure(principal.error());
    context.call.principal = std::move(*principal);
    co_return co_await next();
  };
}

}  // namespace dataplane::http
