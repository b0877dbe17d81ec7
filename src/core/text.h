#pragma once
// Small helpers for ASCII protocol text (HTTP header values, configuration lists).
#include <algorithm>
#include <string_view>

namespace dataplane::core {

//! `s` without leading and trailing spaces and tabs (HTTP's optional white space).
inline std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

//! Whether `a` and `b` are equal ignoring the case of ASCII letters (tokens, header names).
inline bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  const auto lower = [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace dataplane::core
