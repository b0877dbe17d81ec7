#pragma once
// The URLs the S3 client sends, encoded as SigV4 wants them canonical.
//
// libcurl signs the path and query of the URL exactly as given (7.88 does not re-encode or sort
// them), and S3 recomputes the canonical request from its own decoding, so every URL we build
// must already be in canonical form: each byte of a key except A-Z a-z 0-9 - . _ ~ (and '/'
// between key segments) as %XX in upper-case hex, query parameters sorted by name, each written
// "name=value" even when the value is empty ("uploads="). A key such as
// "site=fab1/table=event/part-0000.parquet" thus goes out as "site%3Dfab1/table%3Devent/…".
// Pure functions; safe from any thread.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "s3/client_options.h"

namespace dataplane::s3 {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

//! `text` percent-encoded as SigV4's UriEncode: unreserved bytes kept, '/' kept only when
//! `keep_slash` (object keys in a path), everything else %XX.
std::string UriEncode(std::string_view text, bool keep_slash);

//! The inverse of percent-encoding, '+' read as a space (S3's encoding-type=url listings).
//! Malformed escapes are kept as they are.
std::string UriDecode(std::string_view text);

//! "a=1&b=2": the parameters sorted by name (then value), names and values UriEncoded.
std::string CanonicalQuery(QueryParams params);

// The scheme and authority of an endpoint, e.g. {"https", "s3.eu-west-1.amazonaws.com"}.
struct Endpoint {
  std::string scheme;
  std::string authority;  // host[:port]
};

//! Parses an endpoint URL: http or https, a host, an optional port, no path beyond "/", no
//! query or user info. Anything else is kInvalidInput naming the endpoint.
core::Result<Endpoint> ParseEndpoint(std::string_view url);

//! The URL of `key` in `bucket` (an empty key addresses the bucket itself), path-style or
//! virtual-hosted, with the canonical query appended when `query` is not empty.
std::string ObjectUrl(const Endpoint& endpoint, AddressingStyle style, std::string_view bucket,
                      std::string_view key, QueryParams query = {});

}  // namespace dataplane::s3
