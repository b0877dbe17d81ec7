#pragma once
// The Central API's GET /v1/jobs and /v1/subjobs: one listing over every chosen site, merged in
// the Local API's order (last_event_at DESC, id DESC; equal pairs by site id DESC), limited,
// paged with a cursor of each site's position (api/site_cursor.h).
//
// Parameters: every filter of the Local API's list (api/list_filter.h), checked here with the
// same rules and forwarded unchanged, plus
//   sites             comma list of site ids (default: all)
//   partial_response  true (default) or false (site_answer.h)
//   cursor            the previous page's next_cursor (a cross-site cursor, not a site's)
//   limit             1..10000 (default 100), the merged page's size; each site is asked for
//                     that many after its position.
// Merging: the page takes the first `limit` items of the sites' answers in the order above and
// moves each site's position to the last of its items it took; a site whose items were all
// taken and that has no next page is done. next_cursor is null when every site that answered is
// done. Every item carries `site_id`: the id of the site it came from (the Central API's name
// for the site, which replaces the item's own `site_id` field). A site whose answer has no
// well-formed `items` list is reported as bad_answer and its position is kept. The items are
// copied through as the sites wrote them (list_answer_scan.h), never parsed into trees.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/list_filter.h"
#include "api/site_cursor.h"
#include "central_api/fan_out.h"
#include "core/error.h"

namespace dataplane::central_api {

struct CrossSiteListRequest {
  api::ListKind kind = api::ListKind::kJobs;
  std::string forwarded_query;  // the site filters, encoded, without limit and cursor
  int limit = api::kDefaultLimit;
  api::SiteCursor cursor;
  std::optional<std::string> sites;
  bool partial_allowed = true;
};

//! Parses and checks `target` ("/v1/jobs?status=failed&sites=fab1"); errors as the Local API's.
core::Result<CrossSiteListRequest> ParseCrossSiteList(std::string_view target, api::ListKind kind);

//! Whether `site_id` still has items to list (it is not done).
bool SiteHasMore(const CrossSiteListRequest& request, const std::string& site_id);

//! The target to ask site `site_id` for its part of the page.
std::string SitePageTarget(const CrossSiteListRequest& request, const std::string& site_id);

//! The merged page's members as JSON text without the braces ("items":[…],"count":…,
//! "next_cursor":…) from the sites' answers, asked for in AnswerForm::kText; a call whose answer
//! is not a well-formed list is turned into a bad_answer.
std::string MergeSitePages(const CrossSiteListRequest& request, std::vector<SiteCall>& calls);

}  // namespace dataplane::central_api
