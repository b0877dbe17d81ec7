#include "core/log.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <memory>
#include <regex>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>

#include "core/time.h"

namespace dataplane::core {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};

spdlog::logger& Logger() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto l = spdlog::stderr_logger_mt("dataplane");
    l->set_pattern("%v");
    l->set_level(spdlog::level::trace);
    l->flush_on(spdlog::level::trace);
    return l;
  }();
  return *logger;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

Result<LogLevel> ParseLogLevel(std::string_view text) {
  std::string upper(text);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (upper == "DEBUG" || upper == "TRACE") return LogLevel::kDebug;
  if (upper == "INFO") return LogLevel::kInfo;
  if (upper == "WARNING" || upper == "WARN") return LogLevel::kWarn;
  if (upper == "ERROR" || upper == "CRITICAL") return LogLevel::kError;
  return Error::Invalid(
      "invalid_setting", "LOG_LEVEL",
      "LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got '" + std::string(text) + "'");
}

void SetLogLevel(LogLevel level) { g_level.store(level); }

bool LogEnabled(LogLevel level) { return level >= g_level.load(std::memory_order_relaxed); }

void Log(LogLevel level, std::string_view message, LogFields fields) {
  if (!LogEnabled(level)) return;
  boost::json::object line;
  line["ts"] = FormatRfc3339(NowMicros());
  line["level"] = LevelName(level);
  line["msg"] = message;
  for (const LogField& f : fields) line[f.key] = f.value;
  Logger().info(boost::json::serialize(line));
}

std::string RedactUrl(std::string_view url) {
  static const std::regex kUserInfo(R"(://([^:/@]+):([^@]*)@)");
  static const std::regex kPasswordPair(R"(password\s*=\s*\S+)", std::regex::icase);
  std::string out = std::regex_replace(std::string(url), kUserInfo, "://$1:***@");
  return std::regex_replace(out, kPasswordPair, "password=***");
}

}  // namespace dataplane::core
