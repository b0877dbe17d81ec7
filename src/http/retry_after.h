#pragma once
// Retry-After (RFC 9110 §10.2.3): how long an upstream asks us to wait before retrying.
//
// The value is either delta-seconds ("120") or an HTTP-date. Every HTTP-date form a recipient
// must accept is read: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the obsolete RFC 850
// form ("Sunday, 06-Nov-94 08:49:37 GMT", two-digit years 70–99 meaning 19xx, else 20xx) and
// asctime ("Sun Nov  6 08:49:37 1994"). Pure functions, safe from any thread.
#include <chrono>
#include <optional>
#include <string_view>

namespace dataplane::http {

//! The delay `value` asks for: `fallback` when it is empty or neither form, zero for a date in
//! the past, never more than `max` (a delta-seconds too large to represent is `max`).
std::chrono::milliseconds RetryAfterDelay(
    std::string_view value, std::chrono::milliseconds fallback, std::chrono::milliseconds max,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

//! The instant an HTTP-date names, or nullopt when `text` is none of the three forms.
std::optional<std::chrono::system_clock::time_point> ParseHttpDate(std::string_view text);

}  // namespace dataplane::http
