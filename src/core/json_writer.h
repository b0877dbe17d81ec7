#pragma once
// Appends JSON text directly to a string, for answers built row by row from the database
// (no intermediate tree, no allocation per value). The caller is responsible for the
// structure (commas, brackets); these helpers only encode values.
#include <optional>
#include <string>
#include <string_view>

namespace dataplane::core {

//! "text" with the escapes JSON requires (quote, backslash, control characters).
void AppendJsonString(std::string& out, std::string_view text);
//! A finite double in its shortest round-trip form (integral values get ".0" so typed
//! readers still see a float); null for NaN/infinity.
void AppendJsonNumber(std::string& out, double value);
void AppendJsonNumber(std::string& out, long long value);

}  // namespace dataplane::core
