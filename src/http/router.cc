#include "http/router.h"

#include <algorithm>

namespace dataplane::http {
namespace {

bool IsPlaceholder(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Returns the number of literal segments matched, or -1 when the path does not fit.
int MatchSegments(const Router::Route& route, const std::vector<std::string>& parts,
                  PathParams& params) {
  if (route.segments.size() != parts.size()) return -1;
  int literals = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (IsPlaceholder(route.segments[i])) {
      if (parts[i].empty()) return -1;
      params.push_back(parts[i]);
    } else if (route.segments[i] == parts[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  return literals;
}

}  // namespace

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = path.starts_with('/') ? 1 : 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    parts.emplace_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

void Router::Add(http::verb method, std::string pattern, HttpHandler handler) {
  routes_.push_back({method, pattern, SplitPath(pattern), std::move(handler), routes_.size()});
}

Router::Match Router::Find(http::verb method, std::string_view path) const {
  const std::vector<std::string> parts = SplitPath(path);
  Match best;
  int best_literals = -1;
  std::vector<http::verb> other_methods;
  for (const Route& route : routes_) {
    PathParams params;
    const int literals = MatchSegments(route, parts, params);
    if (literals < 0) continue;
    if (route.method != method) {
      if (std::find(other_methods.begin(), other_methods.end(), route.method) ==
          other_methods.end()) {
        other_methods.push_back(route.method);
      }
      continue;
    }
    if (literals > best_literals) {
      best_literals = literals;
      best.route = &route;
      best.params = std::move(params);
    }
  }
  if (best.route != nullptr) return best;
  for (http::verb other : other_methods) {
    best.allowed.append(best.allowed.empty() ? "" : ", ").append(http::to_string(other));
  }
  return best;
}

}  // namespace dataplane::http
