#pragma once
// One UTC day, the unit the archiver plans, names and removes (a daily partition on
// PostgreSQL, a 1-day chunk on TimescaleDB). A plain value: days since 1970-01-01.
#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/time.h"

namespace dataplane::archiver {

struct ArchiveDay {
  std::int64_t days = 0;  // since 1970-01-01

  core::Micros Start() const { return days * 86'400 * core::kMicrosPerSecond; }
  core::Micros End() const { return (days + 1) * 86'400 * core::kMicrosPerSecond; }
  //! "YYYY-MM-DD"
  std::string Text() const;
  //! The day that holds `t`.
  static ArchiveDay Of(core::Micros t);
  //! "YYYY-MM-DD" to a day; kInvalidInput naming `what` otherwise.
  static core::Result<ArchiveDay> Parse(const std::string& text, const std::string& what);

  auto operator<=>(const ArchiveDay&) const = default;
};

}  // namespace dataplane::archiver
