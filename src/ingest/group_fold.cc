#include "ingest/group_fold.h"

#include <algorithm>
#include <numeric>
#include <string_view>
#include <tuple>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace dataplane::ingest {
namespace {

bool IsTerminal(const Event& e) { return e.status != api::JobStatus::kRunning; }

// The positions of `fresh` sorted by (entity type, entity id, at, terminal, arrival).
std::vector<std::size_t> ByEntityThenOrder(const std::vector<const Event*>& fresh) {
  std::vector<std::size_t> order(fresh.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&fresh](std::size_t a, std::size_t b) {
    const Event& x = *fresh[a];
    const Event& y = *fresh[b];
    return std::forward_as_tuple(x.entity_type, x.entity_id, x.at, IsTerminal(x), a) <
           std::forward_as_tuple(y.entity_type, y.entity_id, y.at, IsTerminal(y), b);
  });
  return order;
}

bool SameEntity(const Event& a, const Event& b) {
  return a.entity_type == b.entity_type && a.entity_id == b.entity_id;
}

template <typename T>
void KeepIfSet(std::optional<T>& kept, const std::optional<T>& value) {
  if (value) kept = value;
}

// Folds the next event of an entity (events come oldest first) into its state.
void FoldInto(EntityState& state, const Event& e) {
  state.latest = &e;
  ++state.event_count;
  if (e.kind == api::EventKind::kStarted && !state.started_at) state.started_at = e.at;
  KeepIfSet(state.job_key, e.business_key);
  KeepIfSet(state.duration_s, e.duration_s);
  KeepIfSet(state.cpu_user_s, e.cpu_user_s);
  KeepIfSet(state.cpu_system_s, e.cpu_system_s);
  KeepIfSet(state.mem_max_mb, e.mem_max_mb);
  state.metadata_json = state.event_count == 1
                            ? e.metadata_json
                            : MergeMetadata(state.metadata_json, e.metadata_json);
}

}  // namespace

std::string MergeMetadata(const std::string& older, const std::string& newer) {
  if (newer == "{}" || newer == older) return older;
  if (older == "{}") return newer;
  boost::json::value merged = boost::json::parse(older);
  boost::json::object& into = merged.as_object();
  const boost::json::value incoming = boost::json::parse(newer);
  for (const auto& member : incoming.as_object()) into[member.key()] = member.value();
  return boost::json::serialize(merged);
}

std::vector<EntityState> FoldByEntity(const std::vector<const Event*>& fresh) {
  std::vector<EntityState> states;
  for (std::size_t i : ByEntityThenOrder(fresh)) {
    const Event& e = *fresh[i];
    if (states.empty() || !SameEntity(*states.back().latest, e)) states.emplace_back();
    FoldInto(states.back(), e);
  }
  return states;
}

std::vector<const Event*> LatestAppEvents(const std::vector<const Event*>& fresh) {
  std::vector<std::size_t> order(fresh.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&fresh](std::size_t a, std::size_t b) {
    return std::forward_as_tuple(fresh[a]->app_id, fresh[a]->at, a) <
           std::forward_as_tuple(fresh[b]->app_id, fresh[b]->at, b);
  });
  std::vector<const Event*> latest;
  for (std::size_t i : order) {
    if (!latest.empty() && latest.back()->app_id == fresh[i]->app_id) {
      latest.back() = fresh[i];
    } else {
      latest.push_back(fresh[i]);
    }
  }
  return latest;
}

std::vector<JobFirstTime> JobFirstTimes(const std::vector<const Event*>& fresh) {
  std::vector<JobFirstTime> firsts;
  firsts.reserve(fresh.size());
  for (const Event* e : fresh) {
    const bool is_job = e->entity_type == api::EntityType::kJob;
    firsts.push_back({is_job ? e->entity_id : e->parent_id.value_or(e->entity_id), e->at});
  }
  std::sort(firsts.begin(), firsts.end(), [](const JobFirstTime& a, const JobFirstTime& b) {
    return std::tie(a.job_id, a.at) < std::tie(b.job_id, b.at);
  });
  // The first of each run of one job id is its earliest.
  firsts.erase(std::unique(firsts.begin(), firsts.end(),
                           [](const JobFirstTime& a, const JobFirstTime& b) {
                             return a.job_id == b.job_id;
                           }),
               firsts.end());
  return firsts;
}

}  // namespace dataplane::ingest
