#include "commands/termination.h"

#include <csignal>

namespace dataplane::commands {
namespace {

sigset_t TerminationSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void BlockTerminationSignals() {
  sigset_t set = TerminationSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTermination() {
  sigset_t set = TerminationSet();
  int signal = 0;
  sigwait(&set, &signal);
  return signal;
}

}  // namespace dataplane::commands
