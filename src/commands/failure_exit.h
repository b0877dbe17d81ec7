#pragma once
// How a command ends on a failure: the one place where a core::Error becomes an exit status.
// It is logged (one JSON line on stderr naming what failed and why) and the command exits with
// status 1, or 2 for a usage or settings mistake (CLI::RuntimeError, caught by CLI11_PARSE).
#include <string_view>
#include <utility>

#include "core/error.h"

namespace dataplane::commands {

inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

[[noreturn]] void ExitWith(std::string_view what, const core::Error& error,
                           int status = kExitFailure);

//! Runs fn() — a step whose core::Failure aborts the command — and returns its value, or exits
//! with ExitWith(what, …).
template <typename Fn>
auto OrExit(std::string_view what, Fn&& fn) -> decltype(fn()) {
  try {
    return std::forward<Fn>(fn)();
  } catch (const core::Failure& failure) {
    ExitWith(what, failure.error());
  }
}

}  // namespace dataplane::commands
