#include "central_api/site_registry.h"

#include <algorithm>

#include "api/query_params.h"

namespace dataplane::central_api {

SiteRegistry::SiteRegistry(std::vector<SiteEntry> entries, CircuitOptions circuit) {
  for (SiteEntry& entry : entries)
    sites_.push_back(std::make_unique<Site>(std::move(entry), circuit));
}

core::Result<std::vector<Site*>> SiteRegistry::Select(
    const std::optional<std::string>& names) const {
  std::vector<Site*> chosen;
  if (!names || names->empty()) {
    for (const auto& site : sites_) chosen.push_back(site.get());
    return chosen;
  }
  std::vector<bool> wanted(sites_.size(), false);
  auto status = api::ForEachListItem(*names, [&](std::string_view name) -> core::Status {
    for (std::size_t i = 0; i < sites_.size(); ++i) {
      if (sites_[i]->Id() == name) {
        wanted[i] = true;
        return core::OkStatus();
      }
    }
    return api::BadParameter("sites",
                             "no site '" + std::string(name) + "' (GET /v1/sites lists them)");
  });
  if (!status) return status.error();
  for (std::size_t i = 0; i < sites_.size(); ++i) {
    if (wanted[i]) chosen.push_back(sites_[i].get());
  }
  return chosen;
}

bool SiteRegistry::LearnId(Site& site, const std::string& id) {
  std::lock_guard lock(learn_mutex_);
  const bool taken = std::any_of(sites_.begin(), sites_.end(), [&](const auto& other) {
    return other.get() != &site && other->Id() == id;
  });
  if (taken) return false;
  return site.LearnId(id);
}

}  // namespace dataplane::central_api
