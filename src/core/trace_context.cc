#include "core/trace_context.h"

#include <algorithm>
#include <cstdint>
#include <random>

namespace dataplane::core {
namespace {

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool IsAllZeros(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == '0'; });
}

// `digits` random lower-case hex digits, not all zeros.
std::string RandomHex(std::size_t digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::string out;
  do {
    out.clear();
    while (out.size() < digits) {
      std::uint64_t bits = generator();
      for (int i = 0; i < 16 && out.size() < digits; ++i, bits >>= 4)
        out.push_back(kHex[bits & 15]);
    }
  } while (IsAllZeros(out));
  return out;
}

// version "00": 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>. A higher version may add
// fields after the flags ("-…"); its first four are read the same way.
bool ParseTraceparent(std::string_view text, TraceContext& out) {
  if (text.size() < 55 || text[2] != '-' || text[35] != '-' || text[52] != '-') return false;
  const std::string_view version = text.substr(0, 2);
  const std::string_view trace_id = text.substr(3, 32);
  const std::string_view parent = text.substr(36, 16);
  const std::string_view flags = text.substr(53, 2);
  if (!IsLowerHex(version) || version == "ff") return false;
  if (version == "00" && text.size() != 55) return false;
  if (text.size() > 55 && text[55] != '-') return false;
  if (!IsLowerHex(trace_id) || IsAllZeros(trace_id)) return false;
  if (!IsLowerHex(parent) || IsAllZeros(parent) || !IsLowerHex(flags)) return false;
  out.trace_id = trace_id;
  out.parent_span_id = parent;
  out.sampled = (std::stoi(std::string(flags), nullptr, 16) & 1) != 0;
  return true;
}

}  // namespace

TraceContext TraceContext::FromTraceparent(std::string_view traceparent) {
  TraceContext trace;
  if (!ParseTraceparent(traceparent, trace)) {
    trace = TraceContext{};
    trace.trace_id = RandomHex(32);
  }
  trace.span_id = RandomHex(16);
  return trace;
}

std::string TraceContext::Traceparent() const {
  return "00-" + trace_id + "-" + span_id + (sampled ? "-01" : "-00");
}

}  // namespace dataplane::core
