#include "http/url.h"

#include <boost/url/parse.hpp>
#include <charconv>

namespace dataplane::http {
namespace {

namespace urls = boost::urls;

int DefaultPort(Scheme scheme) { return scheme == Scheme::kHttps ? 443 : 80; }

std::string Bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

std::string HttpTarget::Endpoint() const { return Bracketed(host) + ":" + std::to_string(port); }

std::string HttpTarget::HostHeader() const {
  if (port == DefaultPort(scheme)) return Bracketed(host);
  return Endpoint();
}

core::Result<HttpTarget> ParseHttpUrl(std::string_view url, std::string_view field) {
  const auto invalid = [&](std::string_view why) {
    return core::Error::Invalid("invalid_url", std::string(field),
                                std::string(why) + ": " + std::string(url));
  };
  std::string text(url);
  if (text.find("://") == std::string::npos) text = "http://" + text;
  auto parsed = urls::parse_uri(text);
  if (!parsed) return invalid("not a URL");
  const urls::url_view& u = *parsed;

  HttpTarget target;
  if (u.scheme_id() == urls::scheme::https) {
    target.scheme = Scheme::kHttps;
  } else if (u.scheme_id() != urls::scheme::http) {
    return invalid("only http:// and https:// URLs are supported");
  }
  if (u.has_userinfo()) return invalid("credentials in a URL are not supported");
  if (u.has_query() || u.has_fragment()) return invalid("a base URL has no query or fragment");
  if (u.host_type() == urls::host_type::ipvfuture) return invalid("unsupported IP literal");
  target.host = u.host_address();
  if (target.host.empty()) return invalid("URL without host");

  target.port = DefaultPort(target.scheme);
  if (u.has_port()) {
    const std::string_view digits = u.port();
    int port = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || port < 1 ||
        port > 65535) {
      return invalid("bad port");
    }
    target.port = port;
  }
  target.base_path = std::string(u.encoded_path());
  // Boost.URL 1.81 reads "x:1a" as port "1" and path "a"; a real path starts with '/'.
  if (!target.base_path.empty() && target.base_path.front() != '/') return invalid("bad port");
  while (!target.base_path.empty() && target.base_path.back() == '/') target.base_path.pop_back();
  return target;
}

}  // namespace dataplane::http
