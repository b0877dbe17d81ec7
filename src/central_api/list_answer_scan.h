#pragma once
// One site's answer to a list request (GET /v1/jobs or /v1/subjobs), read without building a
// tree: the text of each item with its sort keys and where its `site_id` value is, so that the
// merged page copies the items through as they are (cross_site_list.h).
//
// The answer is the site's text as it came: ScanListAnswer checks, in the same one pass, that it
// is JSON (core/json_scan.h: everything core::ParseJson would refuse, nested at most
// `max_depth` levels) and that it has the shape of a list: an object whose "items" is an array
// of objects, each with a string "last_event_at" (RFC 3339) and a string `id_field`, and whose
// "next_cursor" is null or a string. Anything else is a bad_answer error whose message says
// "the answer is not JSON: …" or "the answer is not a list of items: …". Views point into
// `answer`, which must outlive the result.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"

namespace dataplane::central_api {

struct ScannedItem {
  std::string_view text;          // the item's object, "{…}"
  std::size_t site_id_begin = 0;  // its "site_id" value: text[begin, end); begin == end: none
  std::size_t site_id_end = 0;
  core::Micros last_event_at = 0;
  std::string id;  // the value of id_field, decoded
};

struct ScannedListAnswer {
  std::vector<ScannedItem> items;
  bool has_next = false;  // next_cursor is a string
};

core::Result<ScannedListAnswer> ScanListAnswer(std::string_view answer, std::string_view id_field,
                                               std::size_t max_depth);

//! The item's text with its site_id value replaced by `site_id_json` (a JSON string, quoted),
//! or that member put first when the item has none; appended to `out`.
void AppendWithSiteId(std::string& out, const ScannedItem& item, std::string_view site_id_json);

}  // namespace dataplane::central_api
