#pragma once
// SITE_URLS, the Central API's list of sites (SPEC §4), parsed and validated at start:
//   "http://site1-api:18000,http://site2-api:18000"   the seed's form: each site's id is read from
//                                                     its /v1/healthz (`site_id`)
//   "fab1=http://fab1-api:18000,fab2=https://…"       named: the id is the name
// Both forms may be mixed. Spaces around entries are ignored. Refused, with a message naming the
// entry (its position and text): an empty list or entry, a bad URL (http/url.h), a name that is
// not 1–64 of [A-Za-z0-9._-], the same name twice, the same URL twice.
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "http/url.h"

namespace dataplane::central_api {

struct SiteEntry {
  std::string name;  // "" in the seed's form: learned from the site's health answer
  std::string url;   // as configured, for /v1/sites
  http::HttpTarget target;
};

core::Result<std::vector<SiteEntry>> ParseSiteUrls(std::string_view text);

//! Whether `id` may name a site: 1–64 characters of [A-Za-z0-9._-].
bool IsValidSiteId(std::string_view id);

}  // namespace dataplane::central_api
