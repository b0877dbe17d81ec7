#include "central_api/site_list.h"

#include <algorithm>
#include <set>

#include "core/text.h"

namespace dataplane::central_api {
namespace {

core::Error BadEntry(std::size_t position, std::string_view entry, const std::string& why) {
  return core::Error::Invalid(
      "invalid_site_urls", "SITE_URLS",
      "SITE_URLS entry " + std::to_string(position) + " ('" + std::string(entry) + "'): " + why);
}

// "name=url" or "url"; a '=' inside the URL's path does not make a name ("http://a/b=c").
core::Result<SiteEntry> ParseEntry(std::size_t position, std::string_view entry) {
  SiteEntry site;
  std::string_view url = entry;
  const std::size_t eq = entry.find('=');
  const std::size_t scheme = entry.find("://");
  if (eq != std::string_view::npos && (scheme == std::string_view::npos || eq < scheme)) {
    site.name = std::string(core::TrimBlanks(entry.substr(0, eq)));
    url = core::TrimBlanks(entry.substr(eq + 1));
    if (!IsValidSiteId(site.name)) {
      return BadEntry(position, entry, "a site name is 1-64 characters of A-Z a-z 0-9 . _ -");
    }
  }
  auto target = http::ParseHttpUrl(url, "SITE_URLS");
  if (!target) return BadEntry(position, entry, target.error().message);
  site.url = std::string(url);
  site.target = std::move(*target);
  return site;
}

}  // namespace

bool IsValidSiteId(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

core::Result<std::vector<SiteEntry>> ParseSiteUrls(std::string_view text) {
  if (core::TrimBlanks(text).empty()) {
    return core::Error::Invalid("invalid_site_urls", "SITE_URLS",
                                "SITE_URLS is required: a comma list of site URLs "
                                "(http://site1-api:18000,…) or name=URL pairs (fab1=http://…)");
  }
  std::vector<SiteEntry> sites;
  std::set<std::string> names;
  std::set<std::string> endpoints;
  std::size_t position = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view entry = core::TrimBlanks(text.substr(start, comma - start));
    start = comma + 1;
    ++position;
    if (entry.empty()) return BadEntry(position, entry, "empty entry");
    auto site = ParseEntry(position, entry);
    if (!site) return site.error();
    if (!site->name.empty() && !names.insert(site->name).second) {
      return BadEntry(position, entry, "the site name '" + site->name + "' is used twice");
    }
    const std::string where = site->target.Endpoint() + site->target.base_path;
    if (!endpoints.insert(where).second) {
      return BadEntry(position, entry, "the URL " + site->url + " is listed twice");
    }
    sites.push_back(std::move(*site));
  }
  return sites;
}

}  // namespace dataplane::central_api
