#pragma once
// Maps (method, path) to a handler. Patterns are literal segments and {name} placeholders,
// e.g. "/v1/jobs/{job_id}"; literal routes win over placeholder routes. Not thread-safe to
// modify; the server only reads it once started.
#include <string>
#include <vector>

#include "http/types.h"

namespace dataplane::http {

class Router {
 public:
  struct Route {
    http::verb method;
    std::string pattern;  // also the `route` label of the HTTP metrics
    std::vector<std::string> segments;
    HttpHandler handler;
    std::size_t index = 0;  // position in routes(), for per-route tables (metrics middleware)
  };
  struct Match {
    const Route* route = nullptr;  // null when nothing matched
    PathParams params;
    std::string allowed;  // no route: the methods this path has ("GET, POST"), for a 405
  };

  void Add(http::verb method, std::string pattern, HttpHandler handler);
  // `path` is the request target without its query string.
  Match Find(http::verb method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Splits "/a/b/c" into {"a","b","c"}.
std::vector<std::string> SplitPath(std::string_view path);

}  // namespace dataplane::http
