#include "core/env_reader.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace dataplane::core {

EnvReader::EnvReader(std::function<std::optional<std::string>(const std::string&)> lookup)
    : lookup_(std::move(lookup)) {
  if (!lookup_) {
    lookup_ = [](const std::string& name) -> std::optional<std::string> {
      const char* v = std::getenv(name.c_str());
      if (v == nullptr) return std::nullopt;
      return std::string(v);
    };
  }
}

std::optional<std::string> EnvReader::Optional(const std::string& name) const {
  auto v = lookup_(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}

std::string EnvReader::String(const std::string& name, std::string fallback) const {
  return Optional(name).value_or(std::move(fallback));
}

std::int64_t EnvReader::Int(const std::string& name, std::int64_t fallback, std::int64_t min,
                            std::int64_t max) {
  auto text = Optional(name);
  if (!text) return fallback;
  std::int64_t value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || value < min || value > max) {
    Fail(name + " must be an integer in " + std::to_string(min) + ".." + std::to_string(max) +
         ", got '" + *text + "'");
    return fallback;
  }
  return value;
}

double EnvReader::Double(const std::string& name, double fallback, double min, double max) {
  auto text = Optional(name);
  if (!text) return fallback;
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (end != text->c_str() + text->size() || !std::isfinite(value) || value < min || value > max) {
    Fail(name + " must be a number in " + std::to_string(min) + ".." + std::to_string(max) +
         ", got '" + *text + "'");
    return fallback;
  }
  return value;
}

void EnvReader::Fail(std::string message) { problems_.push_back(std::move(message)); }

Status EnvReader::Finish() const {
  if (problems_.empty()) return OkStatus();
  std::string message = "invalid configuration: ";
  for (std::size_t i = 0; i < problems_.size(); ++i) {
    if (i > 0) message += "; ";
    message += problems_[i];
  }
  return Error::Invalid("invalid_configuration", "", message);
}

}  // namespace dataplane::core
