#pragma once
// Where an HTTP client sends its requests: a parsed base URL.
//
// ParseHttpUrl accepts "http://host[:port][/prefix]" and "https://…"; without a scheme the URL
// is taken as http ("site1-api:18000/prefix"). The default port is 80 for http and 443 for
// https; the host is a name, an IPv4 address or a bracketed IPv6 address ("http://[::1]:8080").
// A trailing '/' of the prefix is dropped. A URL with credentials, a query or a fragment is
// refused, as is any other scheme: every failure is Error::Invalid("invalid_url", field, …)
// where `field` names the setting the URL came from (e.g. "--url"). Pure functions, no I/O.
#include <string>
#include <string_view>

#include "core/error.h"

namespace dataplane::http {

enum class Scheme { kHttp, kHttps };

struct HttpTarget {
  Scheme scheme = Scheme::kHttp;
  std::string host;       // a name or an IP address; IPv6 without brackets
  int port = 80;          // 1–65535
  std::string base_path;  // "" or "/prefix", without a trailing slash

  bool tls() const { return scheme == Scheme::kHttps; }
  //! "host:port" ("[::1]:8080" for IPv6): how errors and logs name the upstream.
  std::string Endpoint() const;
  //! The Host header: the host, with ":port" only when it is not the scheme's default.
  std::string HostHeader() const;

  friend bool operator==(const HttpTarget&, const HttpTarget&) = default;
};

//! Parses a base URL as described above; `field` is reported in the error.
core::Result<HttpTarget> ParseHttpUrl(std::string_view url, std::string_view field = "url");

}  // namespace dataplane::http
