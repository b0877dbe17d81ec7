#pragma once
// UUIDs as 16 bytes. ParseUuid accepts the canonical 8-4-4-4-12 hex form, either case, and
// nothing else (no braces, no "urn:uuid:" prefix, no missing hyphens); FormatUuid prints
// lower case, which is also how PostgreSQL prints its uuid type.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"

namespace dataplane::core {

using Uuid = std::array<std::uint8_t, 16>;

Result<Uuid> ParseUuid(std::string_view text);
std::string FormatUuid(const Uuid& uuid);
//! FormatUuid's text, appended to `out`.
void AppendUuid(std::string& out, const Uuid& uuid);
bool IsUuid(std::string_view text);

}  // namespace dataplane::core
