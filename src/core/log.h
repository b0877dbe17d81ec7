#pragma once
// Structured logging: one JSON object per line on stderr
// ({"ts":"…","level":"info","msg":"…", ...fields}). Thread-safe. Never pass secrets (passwords,
// tokens, full DATABASE_URLs) as fields: use RedactUrl for connection strings.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>

#include "core/error.h"

namespace dataplane::core {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

struct LogField {
  template <typename V>
  LogField(std::string_view k, V&& v)
      : key(k), value(boost::json::value_from(std::forward<V>(v))) {}
  std::string_view key;
  boost::json::value value;
};
using LogFields = std::initializer_list<LogField>;

// Accepts DEBUG, INFO, WARNING/WARN, ERROR in any case (the seed's LOG_LEVEL values).
Result<LogLevel> ParseLogLevel(std::string_view text);
void SetLogLevel(LogLevel level);
//! Whether a line of this level would be written: test it before building costly fields.
bool LogEnabled(LogLevel level);

void Log(LogLevel level, std::string_view message, LogFields fields = {});
inline void LogDebug(std::string_view m, LogFields f = {}) { Log(LogLevel::kDebug, m, f); }
inline void LogInfo(std::string_view m, LogFields f = {}) { Log(LogLevel::kInfo, m, f); }
inline void LogWarn(std::string_view m, LogFields f = {}) { Log(LogLevel::kWarn, m, f); }
inline void LogError(std::string_view m, LogFields f = {}) { Log(LogLevel::kError, m, f); }

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db"; also password=… pairs.
std::string RedactUrl(std::string_view url);

}  // namespace dataplane::core
