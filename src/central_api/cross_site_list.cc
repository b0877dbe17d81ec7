#include "central_api/cross_site_list.h"

#include <boost/url/url.hpp>

#include "api/query_params.h"
#include "central_api/site_answer.h"
#include "core/time.h"

namespace dataplane::central_api {
namespace json = boost::json;

namespace {

// The answer of one site, checked: its items with their sort keys.
struct SitePage {
  SiteCall* call = nullptr;
  json::array* items = nullptr;
  std::vector<core::Micros> times;  // last_event_at of each item
  bool has_next = false;            // the site has items beyond this page
  std::size_t taken = 0;
  std::string last_id;  // of the last item taken
};

const char* IdField(api::ListKind kind) {
  return kind == api::ListKind::kJobs ? "job_id" : "subjob_id";
}

std::string_view IdOf(const json::value& item, api::ListKind kind) {
  return item.get_object().at(IdField(kind)).get_string();
}

// Checks `call`'s answer; false (the call turned into a bad_answer) when it is not a list.
bool ReadPage(SiteCall& call, api::ListKind kind, SitePage& page) {
  json::object& body = call.body.get_object();
  json::value* items = body.if_contains("items");
  json::value* next = body.if_contains("next_cursor");
  bool ok = items && items->is_array() && next && (next->is_null() || next->is_string());
  if (ok) {
    page.items = &items->get_array();
    for (const json::value& item : *page.items) {
      const json::object* object = item.if_object();
      const json::value* at = object ? object->if_contains("last_event_at") : nullptr;
      const json::value* id = object ? object->if_contains(IdField(kind)) : nullptr;
      auto t = at && at->is_string() ? core::ParseRfc3339(at->get_string())
                                     : core::Result<core::Micros>(core::Error{});
      if (!t || !id || !id->is_string()) {
        ok = false;
        break;
      }
      page.times.push_back(*t);
    }
  }
  if (!ok) {
    call.status = SiteCallStatus::kBadAnswer;
    call.message = "the answer is not a list of items with last_event_at and an id";
    return false;
  }
  page.call = &call;
  page.has_next = next->is_string();
  return true;
}

// Whether the next item of page a comes before that of page b in the merged order.
bool Before(const SitePage& a, const SitePage& b, api::ListKind kind) {
  const core::Micros ta = a.times[a.taken], tb = b.times[b.taken];
  if (ta != tb) return ta > tb;
  const std::string_view ia = IdOf((*a.items)[a.taken], kind);
  const std::string_view ib = IdOf((*b.items)[b.taken], kind);
  if (ia != ib) return ia > ib;
  return a.call->site_id > b.call->site_id;
}

// Takes up to `limit` items from the pages in the merged order, tagging each with its site.
json::array TakeMerged(std::vector<SitePage>& pages, int limit, api::ListKind kind) {
  // In the answers' storage (the request's, see FanOut::Get), so that items move, not copy.
  json::array out(pages.empty() ? json::storage_ptr() : pages.front().items->storage());
  out.reserve(static_cast<std::size_t>(limit));
  while (static_cast<int>(out.size()) < limit) {
    SitePage* best = nullptr;
    for (SitePage& page : pages) {
      if (page.taken < page.items->size() && (!best || Before(page, *best, kind))) best = &page;
    }
    if (!best) break;
    best->last_id = std::string(IdOf((*best->items)[best->taken], kind));
    json::value item = std::move((*best->items)[best->taken]);
    item.get_object()["site_id"] = best->call->site_id;
    out.push_back(std::move(item));
    ++best->taken;
  }
  return out;
}

// A page's site position after the merge; nullopt: unchanged.
std::optional<api::SitePosition> PositionAfter(const SitePage& page) {
  if (page.taken == page.items->size() && !page.has_next) return api::SiteDone{};
  if (page.taken == 0) return std::nullopt;
  return api::Cursor{page.times[page.taken - 1], page.last_id};
}

}  // namespace

core::Result<CrossSiteListRequest> ParseCrossSiteList(std::string_view target, api::ListKind kind) {
  CrossSiteListRequest request;
  request.kind = kind;
  boost::urls::url forwarded;
  auto status = api::ForEachQueryParam(
      target, [&](std::string_view key, const std::string& value) -> core::Status {
        if (key == "sites") {
          request.sites = value;
        } else if (key == "partial_response") {
          auto allowed = ParsePartialResponse(value);
          if (!allowed) return allowed.error();
          request.partial_allowed = *allowed;
        } else if (key == "cursor") {
          auto cursor = api::DecodeSiteCursor(value);
          if (!cursor) return cursor.error();
          request.cursor = std::move(*cursor);
        } else if (key == "limit") {
          auto limit = api::ParseLimit(value, api::kMaxLimit);
          if (!limit) return limit.error();
          request.limit = *limit;
        } else {
          forwarded.params().append({key, value});
        }
        return core::OkStatus();
      });
  if (!status) return status.error();
  request.forwarded_query = std::string(forwarded.encoded_query());
  // The site filters, checked as a site would check them.
  auto filter = api::ParseListFilter("/?" + request.forwarded_query, kind);
  if (!filter) return filter.error();
  return request;
}

bool SiteHasMore(const CrossSiteListRequest& request, const std::string& site_id) {
  auto it = request.cursor.sites.find(site_id);
  return it == request.cursor.sites.end() || !std::holds_alternative<api::SiteDone>(it->second);
}

std::string SitePageTarget(const CrossSiteListRequest& request, const std::string& site_id) {
  std::string target = request.kind == api::ListKind::kJobs ? "/v1/jobs?" : "/v1/subjobs?";
  target += request.forwarded_query;
  if (!request.forwarded_query.empty()) target += '&';
  target += "limit=" + std::to_string(request.limit);
  auto it = request.cursor.sites.find(site_id);
  if (it != request.cursor.sites.end()) {
    target += "&cursor=" + api::EncodeCursor(std::get<api::Cursor>(it->second));
  }
  return target;
}

json::object MergeSitePages(const CrossSiteListRequest& request, std::vector<SiteCall>& calls) {
  std::vector<SitePage> pages;
  for (SiteCall& call : calls) {
    SitePage page;
    if (call.ok() && ReadPage(call, request.kind, page)) pages.push_back(std::move(page));
  }
  json::array items = TakeMerged(pages, request.limit, request.kind);
  api::SiteCursor next = request.cursor;
  bool more = false;
  for (const SitePage& page : pages) {
    auto after = PositionAfter(page);
    const bool done = after && std::holds_alternative<api::SiteDone>(*after);
    if (!done) more = true;
    if (after) next.sites[page.call->site_id] = std::move(*after);
  }
  json::object body(items.storage());
  body["count"] = items.size();
  body["items"] = std::move(items);
  body["next_cursor"] = more ? json::value(api::EncodeSiteCursor(next)) : json::value(nullptr);
  return body;
}

}  // namespace dataplane::central_api
