#include "loadgen/loadgen_command.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>

#include "loadgen/loadgen.h"

namespace dataplane::loadgen {
namespace {

// Set by SIGINT/SIGTERM while a loadgen run is in progress.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void OnInterrupt(int) { g_interrupted.store(true); }

}  // namespace

void AddLoadgenCommand(CLI::App& app) {
  auto options = std::make_shared<LoadgenOptions>();
  CLI::App* cmd = app.add_subcommand("loadgen", "Post simulated tool events to a Local API");
  cmd->add_option("--url", options->url, "Local API base URL")->capture_default_str();
  cmd->add_option("--rate", options->rate, "Requests per second in total (0 = as fast as possible)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--sites", options->sites, "Site ids, comma separated")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--duration", options->duration_s, "Seconds to run (0 = until interrupted)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--connections", options->connections, "Concurrent connections (threads)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->add_option("--batch", options->batch,
                  "Events per request via /v1/events/batch (0 = one by one via /v1/event)")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();
  cmd->add_flag("--quiet", options->quiet, "No progress lines or error samples on stderr");

  cmd->callback([options] {
    if (auto target = http::ParseHttpUrl(options->url, "--url"); !target.ok()) {
      throw CLI::ValidationError("--url", target.error().message);
    }
    g_interrupted.store(false);
    auto previous_int = std::signal(SIGINT, OnInterrupt);
    auto previous_term = std::signal(SIGTERM, OnInterrupt);
    const LoadgenReport report = RunLoadgen(*options, &g_interrupted);
    std::signal(SIGINT, previous_int);
    std::signal(SIGTERM, previous_term);
    std::fputs(FormatReport(report).c_str(), stdout);
    std::fflush(stdout);
    if (report.requests > 0 && report.ok + report.duplicates == 0) throw CLI::RuntimeError(1);
  });
}

}  // namespace dataplane::loadgen
