#pragma once
// base64url without padding (RFC 4648 §5), for opaque tokens that travel in URLs (the list
// cursors). Decode refuses any character outside the alphabet; it does not insist on the one
// canonical spelling (callers that must, re-encode and compare).
#include <string>
#include <string_view>

namespace dataplane::core {

std::string Base64UrlEncode(std::string_view in);
//! Appends the decoded bytes of `in` to `out`; false when `in` is not base64url.
bool Base64UrlDecode(std::string_view in, std::string& out);

}  // namespace dataplane::core
