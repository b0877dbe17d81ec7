#pragma once
// Times for the parameter tests: RFC 3339 in, RFC 3339 out (without the always-zero
// microseconds), and the fixed "now" they parse at.
#include <string>

#include "core/time.h"

namespace dataplane::api::test {

inline core::Micros At(const std::string& rfc3339) { return *core::ParseRfc3339(rfc3339); }

inline std::string Str(core::Micros t) {
  std::string s = core::FormatRfc3339(t);
  if (auto dot = s.find(".000000"); dot != std::string::npos) s.erase(dot, 7);
  return s;
}

inline const core::Micros kNow = At("2026-11-29T10:17:00Z");  // a Sunday

}  // namespace dataplane::api::test
