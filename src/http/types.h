#pragma once
// The HTTP vocabulary shared by the server, the router, the middlewares and the handlers.
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>

namespace dataplane::http {

// dataplane::http extends Beast's HTTP vocabulary: http::verb, http::status, http::field,
// http::request … name Beast's types from anywhere in dataplane.
using namespace boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// Values of the {name} segments of a route pattern, in pattern order.
using PathParams = std::vector<std::string>;

struct RequestContext;  // http/request_context.h

// A handler runs on the connection's strand; blocking work must go through RunBlocking.
// It may throw core::Failure (mapped by http/status.h) — everything else becomes a 500.
using HttpHandler =
    std::function<boost::asio::awaitable<HttpResponse>(const HttpRequest&, RequestContext&)>;

// A JSON response with the request's version and keep-alive.
HttpResponse JsonResponse(const HttpRequest& request, http::status status, std::string body);

}  // namespace dataplane::http
