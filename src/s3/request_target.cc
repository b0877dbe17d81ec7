#include "s3/request_target.h"

#include <algorithm>

#include "http/url.h"

namespace dataplane::s3 {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

core::Error BadEndpoint(std::string_view url, std::string_view why) {
  return core::Error::Invalid("s3_bad_endpoint", "endpoint",
                              "S3 endpoint '" + std::string(url) + "': " + std::string(why));
}

}  // namespace

std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string UriDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string CanonicalQuery(QueryParams params) {
  for (auto& [name, value] : params) {
    name = UriEncode(name, false);
    value = UriEncode(value, false);
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

core::Result<Endpoint> ParseEndpoint(std::string_view url) {
  // The shared URL reader takes a URL without a scheme as http; an S3 endpoint must name it.
  if (url.find("://") == std::string_view::npos) {
    return BadEndpoint(url, "no scheme (http:// or https://)");
  }
  auto target = http::ParseHttpUrl(url, "endpoint");
  if (!target) {
    return core::Error::Invalid("s3_bad_endpoint", "endpoint",
                                "S3 endpoint: " + target.error().message);
  }
  if (!target->base_path.empty()) {
    return BadEndpoint(url, "only scheme, host and port are allowed (no path, query or user)");
  }
  return Endpoint{target->tls() ? "https" : "http", target->HostHeader()};
}

std::string ObjectUrl(const Endpoint& endpoint, AddressingStyle style, std::string_view bucket,
                      std::string_view key, QueryParams query) {
  std::string url = endpoint.scheme + "://";
  if (style == AddressingStyle::kVirtualHosted) {
    url += std::string(bucket) + "." + endpoint.authority + "/";
  } else {
    url += endpoint.authority + "/" + UriEncode(bucket, false);
    if (!key.empty()) url += '/';
  }
  url += UriEncode(key, true);
  if (!query.empty()) url += "?" + CanonicalQuery(std::move(query));
  return url;
}

}  // namespace dataplane::s3
