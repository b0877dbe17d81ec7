#include "archiver/fault_point.h"

#include <csignal>
#include <cstdlib>
#include <string>

#include "core/log.h"

namespace dataplane::archiver {

void StopIfAsked(std::string_view step) {
  static const std::string kStopAt = [] {
    const char* value = std::getenv("DATAPLANE_ARCHIVER_STOP_AT");
    return std::string(value ? value : "");
  }();
  if (kStopAt.empty() || kStopAt != step) return;
  core::LogWarn("archiver: DATAPLANE_ARCHIVER_STOP_AT reached, killing the process",
                {{"step", std::string(step)}});
  std::raise(SIGKILL);
}

}  // namespace dataplane::archiver
