#pragma once
// The opaque keyset cursor of /v1/jobs and /v1/subjobs: the (last_event_at, id) of the last
// item of a page, which the next page starts strictly after in the order
// (last_event_at DESC, id DESC). Encoded as base64url without padding; clients must treat it
// as opaque. DecodeCursor refuses anything EncodeCursor could not have produced.
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/time.h"

namespace dataplane::api {

struct Cursor {
  core::Micros last_event_at = 0;
  std::string id;  // canonical UUID text
  bool operator==(const Cursor&) const = default;
};

std::string EncodeCursor(const Cursor& cursor);
core::Result<Cursor> DecodeCursor(std::string_view text);

}  // namespace dataplane::api
