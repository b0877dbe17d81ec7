#include "archiver/fault_point.h"

#include <csignal>
#include <cstdlib>
#include <string>
#include <thread>

#include "core/log.h"

namespace dataplane::archiver {

namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

void StopIfAsked(std::string_view step) {
  static const std::string kStopAt = Env("DATAPLANE_ARCHIVER_STOP_AT");
  static const std::string kPauseAt = Env("DATAPLANE_ARCHIVER_PAUSE_AT");
  if (!kPauseAt.empty() && kPauseAt == step) {
    const std::string seconds = Env("DATAPLANE_ARCHIVER_PAUSE_S");
    core::LogWarn("archiver: paused", {{"step", std::string(step)}});
    std::this_thread::sleep_for(std::chrono::seconds(seconds.empty() ? 5 : std::stoi(seconds)));
  }
  if (kStopAt.empty() || kStopAt != step) return;
  core::LogWarn("archiver: DATAPLANE_ARCHIVER_STOP_AT reached, killing the process",
                {{"step", std::string(step)}});
  std::raise(SIGKILL);
}

}  // namespace dataplane::archiver
