// The integration suite's entry point: runs every test on the backend DATAPLANE_TEST_BACKEND
// names (harness.h). A TimescaleDB run on a machine without the extension is reported to CTest
// as skipped (exit 77, SKIP_RETURN_CODE), with the one line that says how to enable it.
#include <iostream>

#include <gtest/gtest.h>

#include "harness.h"
#include "pg/embedded_cluster.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (dataplane::testing::OnTimescaleDb() &&
      dataplane::pg::EmbeddedCluster::InstalledTimescaleDbVersion().empty()) {
    std::cout << "SKIPPED: TimescaleDB is not installed for this PostgreSQL; to run the suite on "
                 "it too: TIMESCALEDB_SOURCE=/path/to/timescaledb-2.28.3.tar.xz make test\n";
    return 77;
  }
  return RUN_ALL_TESTS();
}
