#include "http/retry_after.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

#include "core/text.h"

namespace dataplane::http {
namespace {

using std::chrono::milliseconds;

constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Reads an HTTP-date left to right; each method consumes what it matched or fails.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : rest_(text) {}

  bool Skip(std::string_view literal) {
    if (!rest_.starts_with(literal)) return false;
    rest_.remove_prefix(literal.size());
    return true;
  }
  // Exactly `digits` decimal digits.
  bool Number(std::size_t digits, int& out) {
    if (rest_.size() < digits) return false;
    for (std::size_t i = 0; i < digits; ++i) {
      if (rest_[i] < '0' || rest_[i] > '9') return false;
    }
    std::from_chars(rest_.data(), rest_.data() + digits, out);
    rest_.remove_prefix(digits);
    return true;
  }
  // One of `names`; `index` is its position.
  template <std::size_t N>
  bool OneOf(const std::array<std::string_view, N>& names, int& index) {
    for (std::size_t i = 0; i < N; ++i) {
      if (Skip(names[i])) {
        index = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }
  bool Time(int& hour, int& minute, int& second) {
    return Number(2, hour) && Skip(":") && Number(2, minute) && Skip(":") && Number(2, second);
  }
  bool AtEnd() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;  // month 0–11
};

std::optional<std::chrono::system_clock::time_point> ToTimePoint(const Fields& f) {
  using namespace std::chrono;
  const year_month_day date{year{f.year}, month{static_cast<unsigned>(f.month + 1)},
                            day{static_cast<unsigned>(f.day)}};
  // A leap second (":60") is read as the last second of its minute.
  if (!date.ok() || f.hour > 23 || f.minute > 59 || f.second > 60) return std::nullopt;
  return sys_days{date} + hours{f.hour} + minutes{f.minute} + seconds{std::min(f.second, 59)};
}

bool ImfFixdate(std::string_view text, Fields& f) {
  Scanner s(text);
  int weekday = 0;
  return s.OneOf(kDays, weekday) && s.Skip(", ") && s.Number(2, f.day) && s.Skip(" ") &&
         s.OneOf(kMonths, f.month) && s.Skip(" ") && s.Number(4, f.year) && s.Skip(" ") &&
         s.Time(f.hour, f.minute, f.second) && s.Skip(" GMT") && s.AtEnd();
}

bool Rfc850Date(std::string_view text, Fields& f) {
  Scanner s(text);
  int weekday = 0;
  if (!(s.OneOf(kLongDays, weekday) && s.Skip(", ") && s.Number(2, f.day) && s.Skip("-") &&
        s.OneOf(kMonths, f.month) && s.Skip("-") && s.Number(2, f.year) && s.Skip(" ") &&
        s.Time(f.hour, f.minute, f.second) && s.Skip(" GMT") && s.AtEnd())) {
    return false;
  }
  f.year += f.year >= 70 ? 1900 : 2000;
  return true;
}

bool AsctimeDate(std::string_view text, Fields& f) {
  Scanner s(text);
  int weekday = 0;
  return s.OneOf(kDays, weekday) && s.Skip(" ") && s.OneOf(kMonths, f.month) && s.Skip(" ") &&
         (s.Skip(" ") ? s.Number(1, f.day) : s.Number(2, f.day)) && s.Skip(" ") &&
         s.Time(f.hour, f.minute, f.second) && s.Skip(" ") && s.Number(4, f.year) && s.AtEnd();
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> ParseHttpDate(std::string_view text) {
  Fields f;
  if (ImfFixdate(text, f) || Rfc850Date(text, f) || AsctimeDate(text, f)) return ToTimePoint(f);
  return std::nullopt;
}

milliseconds RetryAfterDelay(std::string_view value, milliseconds fallback, milliseconds max,
                             std::chrono::system_clock::time_point now) {
  value = core::TrimBlanks(value);
  milliseconds delay = fallback;
  if (!value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos) {
    std::uint64_t seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    (void)end;
    constexpr auto kMaxSeconds = std::numeric_limits<milliseconds::rep>::max() / 1000;
    delay = ec == std::errc{} && seconds <= static_cast<std::uint64_t>(kMaxSeconds)
                ? std::chrono::seconds(seconds)
                : max;
  } else if (auto date = ParseHttpDate(value)) {
    delay = std::max(milliseconds::zero(), std::chrono::duration_cast<milliseconds>(*date - now));
  }
  return std::min(delay, max);
}

}  // namespace dataplane::http
