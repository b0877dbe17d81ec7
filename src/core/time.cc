#include "core/time.h"

#include <chrono>

namespace dataplane::core {
namespace {

bool IsLeapYear(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

CivilDate CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

// Reads exactly `n` decimal digits at `pos`.
bool ReadDigits(std::string_view s, std::size_t pos, std::size_t n, unsigned& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

Error TimeError(std::string message) {
  return Error::Invalid("invalid_time", "", std::move(message));
}

// Writes `digits` decimal digits of `value` (zero-padded) at `out`.
void PutDigits(char* out, unsigned value, int digits) {
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// Appends t as "YYYY-MM-DD<sep>hh:mm:ss.ffffff<zone>" in UTC. Hand-written digits rather than
// snprintf: an answer of 100 jobs prints 400 times, and snprintf was a fifth of the Local API's
// CPU on an uncached list. Years outside 0000–9999 (not RFC 3339) print their digits in full.
void AppendParts(std::string& out, Micros t, char sep, std::string_view zone) {
  std::int64_t secs = t / kMicrosPerSecond;
  std::int64_t frac = t % kMicrosPerSecond;
  if (frac < 0) {
    frac += kMicrosPerSecond;
    secs -= 1;
  }
  std::int64_t days = secs / 86400;
  std::int64_t sod = secs % 86400;
  if (sod < 0) {
    sod += 86400;
    days -= 1;
  }
  const CivilDate date = CivilFromDays(days);
  if (date.year < 0 || date.year > 9999) {
    out += std::to_string(date.year);
  } else {
    char year[4];
    PutDigits(year, static_cast<unsigned>(date.year), 4);
    out.append(year, sizeof year);
  }
  char rest[22] = {'-', 0, 0, '-', 0, 0, sep, 0, 0, ':', 0, 0, ':', 0, 0, '.'};
  PutDigits(rest + 1, date.month, 2);
  PutDigits(rest + 4, date.day, 2);
  PutDigits(rest + 7, static_cast<unsigned>(sod / 3600), 2);
  PutDigits(rest + 10, static_cast<unsigned>(sod / 60 % 60), 2);
  PutDigits(rest + 13, static_cast<unsigned>(sod % 60), 2);
  PutDigits(rest + 16, static_cast<unsigned>(frac), 6);
  out.append(rest, sizeof rest);
  out += zone;
}

}  // namespace

std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Result<Micros> ParseRfc3339(std::string_view s) {
  unsigned year, month, day, hour, minute, second;
  if (!ReadDigits(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !ReadDigits(s, 5, 2, month) ||
      s[7] != '-' || !ReadDigits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !ReadDigits(s, 11, 2, hour) || s[13] != ':' || !ReadDigits(s, 14, 2, minute) ||
      s[16] != ':' || !ReadDigits(s, 17, 2, second)) {
    return TimeError("expected an RFC 3339 date-time such as 2026-11-29T05:00:00.123456Z");
  }
  if (year < 1 || month < 1 || month > 12) return TimeError("month out of range");
  if (day < 1 || day > DaysInMonth(year, month)) return TimeError("day out of range for month");
  if (hour > 23) return TimeError("hour out of range");
  if (minute > 59) return TimeError("minute out of range");
  if (second == 60) return TimeError("leap seconds are not supported");
  if (second > 59) return TimeError("second out of range");

  std::size_t pos = 19;
  Micros fraction = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    Micros scale = 100000;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 6) fraction += (s[pos] - '0') * scale;
      scale /= 10;
      ++digits;
      ++pos;
    }
    if (digits == 0 || digits > 9) return TimeError("fraction of a second must have 1-9 digits");
  }

  std::int64_t offset_seconds = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    unsigned oh, om;
    if (!ReadDigits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !ReadDigits(s, pos + 4, 2, om)) {
      return TimeError("offset must be Z or ±HH:MM");
    }
    if (oh > 23 || om > 59) return TimeError("offset out of range");
    offset_seconds = (s[pos] == '+' ? 1 : -1) * static_cast<std::int64_t>(oh * 3600 + om * 60);
    pos += 6;
  } else {
    return TimeError("a time zone offset (Z or ±HH:MM) is required");
  }
  if (pos != s.size()) return TimeError("unexpected characters after the time zone offset");

  const std::int64_t days = DaysFromCivil(year, month, day);
  const std::int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return secs * kMicrosPerSecond + fraction;
}

void AppendRfc3339(std::string& out, Micros t) { AppendParts(out, t, 'T', "Z"); }

std::string FormatRfc3339(Micros t) {
  std::string out;
  AppendRfc3339(out, t);
  return out;
}

std::string FormatPgTimestamp(Micros t) {
  std::string out;
  AppendParts(out, t, ' ', "+00");
  return out;
}

Micros NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace dataplane::core
