#include "central_api/cross_site_list.h"

#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>
#include <boost/url/url.hpp>

#include "api/query_params.h"
#include "central_api/list_answer_scan.h"
#include "central_api/site_answer.h"

namespace dataplane::central_api {
namespace json = boost::json;

namespace {

// The answer of one site, scanned: its items with their sort keys.
struct SitePage {
  SiteCall* call = nullptr;
  ScannedListAnswer answer;
  std::string site_id_json;  // the site's id as a JSON string
  std::size_t taken = 0;
};

const char* IdField(api::ListKind kind) {
  return kind == api::ListKind::kJobs ? "job_id" : "subjob_id";
}

// Scans `call`'s answer; false (the call turned into a bad_answer) when it is not a list.
bool ReadPage(SiteCall& call, api::ListKind kind, SitePage& page) {
  auto answer = ScanListAnswer(call.text, IdField(kind), kMaxSiteAnswerDepth);
  if (!answer) {
    call.status = SiteCallStatus::kBadAnswer;
    call.message = answer.error().message;
    return false;
  }
  page.call = &call;
  page.answer = std::move(*answer);
  page.site_id_json = json::serialize(json::string_view(call.site_id));
  return true;
}

const ScannedItem& Next(const SitePage& page) { return page.answer.items[page.taken]; }
bool HasNext(const SitePage& page) { return page.taken < page.answer.items.size(); }

// Whether the next item of page a comes before that of page b in the merged order.
bool Before(const SitePage& a, const SitePage& b) {
  const ScannedItem &ia = Next(a), &ib = Next(b);
  if (ia.last_event_at != ib.last_event_at) return ia.last_event_at > ib.last_event_at;
  if (ia.id != ib.id) return ia.id > ib.id;
  return a.call->site_id > b.call->site_id;
}

// Appends up to `limit` items of the pages in the merged order to `out` as a JSON array's
// elements, each tagged with its site; the number taken.
std::size_t TakeMerged(std::vector<SitePage>& pages, int limit, std::string& out) {
  std::size_t count = 0;
  while (static_cast<int>(count) < limit) {
    SitePage* best = nullptr;
    for (SitePage& page : pages) {
      if (HasNext(page) && (!best || Before(page, *best))) best = &page;
    }
    if (!best) break;
    if (count++ > 0) out += ',';
    AppendWithSiteId(out, Next(*best), best->site_id_json);
    ++best->taken;
  }
  return count;
}

// A page's site position after the merge; nullopt: unchanged.
std::optional<api::SitePosition> PositionAfter(const SitePage& page) {
  if (!HasNext(page) && !page.answer.has_next) return api::SiteDone{};
  if (page.taken == 0) return std::nullopt;
  const ScannedItem& last = page.answer.items[page.taken - 1];
  return api::Cursor{last.last_event_at, last.id};
}

// The total size of the pages' items: room for the merged page.
std::size_t TextSize(const std::vector<SitePage>& pages) {
  std::size_t size = 0;
  for (const SitePage& page : pages) size += page.call->text.size();
  return size;
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

std::string MergeSitePages(const CrossSiteListRequest& request, std::vector<SiteCall>& calls) {
  std::vector<SitePage> pages;
  for (SiteCall& call : calls) {
    SitePage page;
    if (call.ok() && ReadPage(call, request.kind, page)) pages.push_back(std::move(page));
  }
  std::string members;
  members.reserve(TextSize(pages) + 128);
  members += "\"items\":[";
  const std::size_t count = TakeMerged(pages, request.limit, members);
  api::SiteCursor next = request.cursor;
  bool more = false;
  for (const SitePage& page : pages) {
    auto after = PositionAfter(page);
    const bool done = after && std::holds_alternative<api::SiteDone>(*after);
    if (!done) more = true;
    if (after) next.sites[page.call->site_id] = std::move(*after);
  }
  members += "],\"count\":" + std::to_string(count) + ",\"next_cursor\":";
  members += more ? json::serialize(json::string_view(api::EncodeSiteCursor(next))) : "null";
  return members;
}

}  // namespace dataplane::central_api
