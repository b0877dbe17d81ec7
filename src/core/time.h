#pragma once
// Time as dataplane handles it: microseconds since the Unix epoch, UTC, in an int64.
//
// ParseRfc3339 accepts RFC 3339 date-times with an offset ("Z" or ±HH:MM), 'T' or ' ' between
// date and time, and a fraction of 1–9 digits (digits past the sixth are truncated, since
// PostgreSQL keeps microseconds). Leap seconds (":60") are refused: PostgreSQL would silently
// move them to the next minute. FormatRfc3339 always prints UTC with six fraction digits.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace dataplane::core {

using Micros = std::int64_t;

inline constexpr Micros kMicrosPerSecond = 1'000'000;

Result<Micros> ParseRfc3339(std::string_view text);

// "2026-11-29T05:00:00.123456Z"
std::string FormatRfc3339(Micros t);
// The same text, appended to `out`.
void AppendRfc3339(std::string& out, Micros t);

// "2026-11-29 05:00:00.123456+00", the form PostgreSQL's timestamptz input reads fastest.
std::string FormatPgTimestamp(Micros t);

Micros NowMicros();

// Days since 1970-01-01 for a proleptic Gregorian date; month 1–12.
std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day);

}  // namespace dataplane::core
