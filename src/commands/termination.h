#pragma once
// SIGINT/SIGTERM handling for the long-running subcommands. BlockTerminationSignals() must run
// in main before any thread starts, so that every thread inherits the mask and the signal is
// taken only by WaitForTermination(), synchronously, on the main thread.
namespace dataplane::commands {

void BlockTerminationSignals();
//! Blocks until SIGINT or SIGTERM; returns the signal number.
int WaitForTermination();

}  // namespace dataplane::commands
