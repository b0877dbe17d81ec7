#include "metrics/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

#include "metrics/registry.h"

namespace dataplane::metrics {
namespace {

// Fields of /proc/self/stat, counted from 1 as in proc(5).
constexpr int kUtimeField = 14;
constexpr int kStimeField = 15;
constexpr int kStarttimeField = 22;
constexpr int kVsizeField = 23;
constexpr int kRssField = 24;

std::optional<std::string> ReadFile(const char* path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

std::optional<double> ParseUint(std::string_view text) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return static_cast<double>(v);
}

// The fields of /proc/self/stat from field 3 on (after the command name, which may itself hold
// spaces and parentheses, so it ends at the last ')').
std::vector<std::string_view> StatFields(const std::string& stat) {
  std::vector<std::string_view> fields;
  std::size_t close = stat.rfind(')');
  if (close == std::string::npos) return fields;
  std::string_view rest(stat);
  rest.remove_prefix(close + 1);
  while (!rest.empty()) {
    std::size_t start = rest.find_first_not_of(" \n");
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    std::size_t len = rest.find_first_of(" \n");
    fields.push_back(rest.substr(0, len));
    rest.remove_prefix(len == std::string_view::npos ? rest.size() : len);
  }
  return fields;
}

std::optional<double> StatField(const std::vector<std::string_view>& fields, int number) {
  std::size_t index = static_cast<std::size_t>(number - 3);
  if (index >= fields.size()) return std::nullopt;
  return ParseUint(fields[index]);
}

// System boot time in seconds since the epoch ("btime" in /proc/stat).
std::optional<double> BootTime() {
  std::optional<std::string> stat = ReadFile("/proc/stat");
  if (!stat) return std::nullopt;
  std::istringstream lines(*stat);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("btime ")) return ParseUint(std::string_view(line).substr(6));
  }
  return std::nullopt;
}

std::optional<double> OpenFds() {
  std::error_code ec;
  std::filesystem::directory_iterator it("/proc/self/fd", ec);
  if (ec) return std::nullopt;
  double count = 0;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (ec) return std::nullopt;
    ++count;
  }
  // The iterator's own descriptor was open while counting; the client libraries count it too.
  return count;
}

// The soft RLIMIT_NOFILE, the "Max open files" of /proc/self/limits ("unlimited" is the
// largest uint64, as the Go client reports it).
std::optional<double> MaxFds() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return std::nullopt;
  return static_cast<double>(limit.rlim_cur);
}

void Append(std::string& out, std::string_view name, std::string_view help, std::string_view type,
            std::optional<double> value) {
  if (!value) return;
  detail::AppendHeader(out, name, help, type);
  out.append(name);
  out.push_back(' ');
  detail::AppendNumber(out, *value);
  out.push_back('\n');
}

}  // namespace

void AppendProcessMetrics(std::string& out) {
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page_size = static_cast<double>(sysconf(_SC_PAGESIZE));
  std::optional<std::string> stat = ReadFile("/proc/self/stat");
  std::vector<std::string_view> fields;
  if (stat) fields = StatFields(*stat);

  std::optional<double> utime = StatField(fields, kUtimeField);
  std::optional<double> stime = StatField(fields, kStimeField);
  std::optional<double> cpu;
  if (utime && stime && ticks > 0) cpu = (*utime + *stime) / ticks;
  std::optional<double> rss = StatField(fields, kRssField);
  if (rss) *rss *= page_size;
  std::optional<double> start = StatField(fields, kStarttimeField);
  std::optional<double> boot = BootTime();
  if (start && boot && ticks > 0) {
    *start = *boot + *start / ticks;
  } else {
    start.reset();
  }

  Append(out, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
         "counter", cpu);
  Append(out, "process_open_fds", "Number of open file descriptors.", "gauge", OpenFds());
  Append(out, "process_max_fds", "Maximum number of open file descriptors.", "gauge", MaxFds());
  Append(out, "process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge",
         StatField(fields, kVsizeField));
  Append(out, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", rss);
  Append(out, "process_start_time_seconds",
         "Start time of the process since unix epoch in seconds.", "gauge", start);
}

const std::vector<std::string_view>& ProcessMetricNames() {
  static const std::vector<std::string_view> kNames = {"process_cpu_seconds_total",
                                                       "process_open_fds",
                                                       "process_max_fds",
                                                       "process_virtual_memory_bytes",
                                                       "process_resident_memory_bytes",
                                                       "process_start_time_seconds"};
  return kNames;
}

}  // namespace dataplane::metrics
