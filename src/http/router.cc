#include "http/router.h"

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
  routes_.push_back({method, pattern, SplitPath(pattern), std::move(handler)});
}

Router::Match Router::Find(http::verb method, std::string_view path) const {
  const std::vector<std::string> parts = SplitPath(path);
  Match best;
  int best_literals = -1;
  for (const Route& route : routes_) {
    PathParams params;
    const int literals = MatchSegments(route, parts, params);
    if (literals < 0) continue;
    if (route.method != method) {
      best.path_matched = true;
      continue;
    }
    if (literals > best_literals) {
      best_literals = literals;
      best.route = &route;
      best.params = std::move(params);
    }
  }
  return best;
}

}  // namespace dataplane::http
