#include "metrics/testing/promtool.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace dataplane::metrics::testing {

::testing::AssertionResult PromtoolAccepts(const std::string& exposition) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    return ::testing::AssertionFailure()
           << "promtool not found: run scripts/bootstrap (Debian package prometheus)";
  }
  std::string path = (std::filesystem::temp_directory_path() / "dataplane_metrics_XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) return ::testing::AssertionFailure() << "cannot create a temporary file";
  close(fd);
  std::ofstream(path) << exposition;
  const std::string command = "promtool check metrics < '" + path + "' 2>&1";
  std::string output;
  int status = -1;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buf[512];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof(buf), pipe)) > 0;) output.append(buf, n);
    status = pclose(pipe);
  }
  std::filesystem::remove(path);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && output.empty()) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "promtool check metrics: " << output << "\n--- input ---\n"
         << exposition;
}

}  // namespace dataplane::metrics::testing
