#include "archiver/archive_day.h"

#include <charconv>
#include <cstdio>

namespace dataplane::archiver {
namespace {

constexpr core::Micros kMicrosPerDay = 86'400 * core::kMicrosPerSecond;

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

// Howard Hinnant's civil_from_days, the inverse of core::DaysFromCivil.
Civil CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool ParseDigits(const std::string& text, std::size_t at, std::size_t count, unsigned& out) {
  const char* first = text.data() + at;
  auto [end, ec] = std::from_chars(first, first + count, out);
  return ec == std::errc() && end == first + count;
}

}  // namespace

std::string ArchiveDay::Text() const {
  const Civil c = CivilFromDays(days);
  char text[32];
  std::snprintf(text, sizeof text, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month,
                c.day);
  return text;
}

ArchiveDay ArchiveDay::Of(core::Micros t) {
  return {t >= 0 ? t / kMicrosPerDay : -((-t + kMicrosPerDay - 1) / kMicrosPerDay)};
}

core::Result<ArchiveDay> ArchiveDay::Parse(const std::string& text, const std::string& what) {
  unsigned year = 0, month = 0, day = 0;
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                      ParseDigits(text, 0, 4, year) && ParseDigits(text, 5, 2, month) &&
                      ParseDigits(text, 8, 2, day);
  const ArchiveDay parsed{core::DaysFromCivil(year, month, day)};
  if (!shaped || month < 1 || month > 12 || day < 1 || day > 31 || parsed.Text() != text) {
    return core::Error::Invalid("invalid_date", what,
                                what + " must be a date YYYY-MM-DD, got '" + text + "'");
  }
  return parsed;
}

}  // namespace dataplane::archiver
