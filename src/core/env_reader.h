#pragma once
// Reads settings from the process environment, validating each one and collecting every
// problem, so that a bad configuration is reported in one message at start-up
// ("PORT must be an integer in 1..65535, got 'abc'; DB_POOL_MAX_SIZE …").
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace dataplane::core {

class EnvReader {
 public:
  // `lookup` defaults to std::getenv; tests pass their own.
  explicit EnvReader(std::function<std::optional<std::string>(const std::string&)> lookup = {});

  std::optional<std::string> Optional(const std::string& name) const;
  std::string String(const std::string& name, std::string fallback) const;
  std::int64_t Int(const std::string& name, std::int64_t fallback, std::int64_t min,
                   std::int64_t max);
  double Double(const std::string& name, double fallback, double min, double max);
  // Records a problem found by the caller's own cross-field checks.
  void Fail(std::string message);

  // OK when every read value was valid; otherwise one kInvalidInput error naming each problem.
  Status Finish() const;

 private:
  std::function<std::optional<std::string>(const std::string&)> lookup_;
  std::vector<std::string> problems_;
};

}  // namespace dataplane::core
