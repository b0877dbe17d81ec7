#pragma once
// A test-only switch for the crash tests (tests/integration/archiver_faults_test.cc): when the
// environment variable DATAPLANE_ARCHIVER_STOP_AT names a step (after_export, after_upload,
// after_verify, after_commit; restore_after_fetch, restore_before_commit, restore_after_commit
// for `archiver restore`), the process kills itself with SIGKILL on reaching it, exactly as
// `kill -9` would at that point; when DATAPLANE_ARCHIVER_PAUSE_AT names it, the process logs
// "archiver: paused" and sleeps DATAPLANE_ARCHIVER_PAUSE_S seconds (default 5) there, so that a
// test can take the database away mid-run. Unset in production: StopIfAsked is then a no-op.
#include <string_view>

namespace dataplane::archiver {

void StopIfAsked(std::string_view step);

}  // namespace dataplane::archiver
