#pragma once
// The configured sites, in SITE_URLS order, and the choice of sites a request names
// (`sites=fab1,fab2`). The set is fixed at start; ids of unnamed sites are learned later
// (site.h), so lookups go through the sites' current ids. Thread-safe.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "central_api/site.h"
#include "core/error.h"

namespace dataplane::central_api {

class SiteRegistry {
 public:
  SiteRegistry(std::vector<SiteEntry> entries, CircuitOptions circuit);

  const std::vector<std::unique_ptr<Site>>& sites() const { return sites_; }

  //! Every site when `names` is empty or absent, else the sites of the comma list, in
  //! configuration order; an unknown or empty name is a 422 naming `sites`.
  core::Result<std::vector<Site*>> Select(const std::optional<std::string>& names) const;

  //! Records the id `site` reported; refused (false, the site keeps its stand-in id) when
  //! another site already has that id or the site's id was set otherwise.
  bool LearnId(Site& site, const std::string& id);

 private:
  std::vector<std::unique_ptr<Site>> sites_;
  std::mutex learn_mutex_;  // serializes LearnId's check against the other sites
};

}  // namespace dataplane::central_api
