#pragma once
// How every cross-site answer of the Central API reports its sites, and when it is partial.
//
// The answer's body gains "partial" (true when any chosen site did not answer ok) and "sites":
// one entry per chosen site, in configuration order:
//   {"site_id":…,"status":"ok"|"error"|"bad_answer"|"timeout"|"unreachable"|"circuit_open",
//    "http_status":200|null,"message":null|"…","latency_ms":…,"as_of":"<RFC 3339>"|null}
// (`as_of`: when the site's data was read — its answer's arrival, or for statistics the time
// the site last refreshed them). A partial answer carries `Cache-Control: no-store`. With
// `partial_response=false` a partial answer is instead a 502 whose body names each site's
// status the same way (the Thanos convention).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "central_api/fan_out.h"
#include "core/error.h"
#include "core/time.h"
#include "http/types.h"

namespace dataplane::central_api {

//! The `partial_response` parameter: true (default) or false; anything else is a 422.
core::Result<bool> ParsePartialResponse(std::string_view value);

//! An RFC 3339 time, or null for 0 (never).
boost::json::value TimeOrNull(core::Micros t);

boost::json::array SiteReports(const std::vector<SiteCall>& calls);
bool AnyFailed(const std::vector<SiteCall>& calls);

//! The 200 answer of `body` plus "partial" and "sites" — or the 502 when it is partial and the
//! caller set partial_response=false.
http::HttpResponse SitesAnswer(const http::HttpRequest& request, boost::json::object body,
                               const std::vector<SiteCall>& calls, bool partial_allowed);

//! As above, the body given as JSON text: an object's members without the braces.
http::HttpResponse SitesAnswer(const http::HttpRequest& request, std::string members,
                               const std::vector<SiteCall>& calls, bool partial_allowed);

}  // namespace dataplane::central_api
