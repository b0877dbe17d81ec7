#include "central_api/site.h"

namespace dataplane::central_api {

Site::Site(SiteEntry entry, CircuitOptions circuit)
    : entry_(std::move(entry)),
      breaker_(circuit),
      id_(entry_.name.empty() ? entry_.target.Endpoint() : entry_.name),
      id_known_(!entry_.name.empty()) {}

std::string Site::Id() const {
  std::lock_guard lock(mutex_);
  return id_;
}

bool Site::IdKnown() const {
  std::lock_guard lock(mutex_);
  return id_known_;
}

bool Site::LearnId(const std::string& id) {
  std::lock_guard lock(mutex_);
  if (id_known_) return id_ == id;
  id_ = id;
  id_known_ = true;
  return true;
}

SiteHealth Site::Health() const {
  std::lock_guard lock(mutex_);
  return health_;
}

void Site::SetHealth(SiteHealth health) {
  std::lock_guard lock(mutex_);
  health_ = std::move(health);
}

}  // namespace dataplane::central_api
