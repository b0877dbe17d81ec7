#pragma once
// `dataplane loadgen`: the command-line front of RunLoadgen (loadgen/loadgen.h).
//
// Options: --url, --rate (requests/s in total, 0 = as fast as possible), --sites (comma list),
// --duration (seconds), --connections, --batch (events per request, 0 = single events), --quiet.
// The callback runs the load, stopping early on SIGINT/SIGTERM, prints FormatReport to stdout,
// and throws CLI::RuntimeError (exit status 1) when requests were sent but no event was
// acknowledged, and CLI::ValidationError for a URL it cannot use.
#include <CLI/CLI.hpp>

namespace dataplane::loadgen {

//! Registers the `loadgen` subcommand on `app`; the options live as long as `app`.
void AddLoadgenCommand(CLI::App& app);

}  // namespace dataplane::loadgen
