#pragma once
// The cursor of the Central API's cross-site lists (GET /v1/jobs, /v1/subjobs): where the
// merged listing stands on each site. Per site either
//   absent     nothing of it was listed yet: the next page asks it from its first item;
//   a Cursor   the last item of it that was listed: the next page asks it for what follows
//              (the site's own keyset cursor, api/cursor.h);
//   done       it has nothing more: it is not asked again.
// So every item of every site is listed exactly once, in the order (last_event_at DESC, id
// DESC) per site, whatever the sites contributed to each page; a site that did not answer a
// page keeps its position and is asked again by the next one. Encoded as base64url of
// "s1|<site>=<cursor>|<site>=~…", opaque to clients; DecodeSiteCursor refuses anything
// EncodeSiteCursor could not have written (422 invalid_cursor).
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "api/cursor.h"
#include "core/error.h"

namespace dataplane::api {

struct SiteDone {
  bool operator==(const SiteDone&) const = default;
};
using SitePosition = std::variant<Cursor, SiteDone>;

struct SiteCursor {
  std::map<std::string, SitePosition> sites;  // by site id; absent = from the start
  bool operator==(const SiteCursor&) const = default;
};

std::string EncodeSiteCursor(const SiteCursor& cursor);
core::Result<SiteCursor> DecodeSiteCursor(std::string_view text);

}  // namespace dataplane::api
