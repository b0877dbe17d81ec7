#include "central_api/site_answer.h"

#include <boost/json/serialize.hpp>

#include "api/query_params.h"
#include "core/time.h"
#include "http/status.h"

namespace dataplane::central_api {
namespace json = boost::json;

json::value TimeOrNull(core::Micros t) {
  return t == 0 ? json::value(nullptr) : json::value(core::FormatRfc3339(t));
}

core::Result<bool> ParsePartialResponse(std::string_view value) {
  if (value == "true") return true;
  if (value == "false") return false;
  return api::BadParameter("partial_response", "must be true or false");
}

json::array SiteReports(const std::vector<SiteCall>& calls) {
  json::array reports;
  reports.reserve(calls.size());
  for (const SiteCall& call : calls) {
    json::object report;
    report["site_id"] = call.site_id;
    report["status"] = ToString(call.status);
    report["http_status"] = call.http_status == 0 ? json::value(nullptr) : call.http_status;
    report["message"] = call.message.empty() ? json::value(nullptr) : json::value(call.message);
    report["latency_ms"] = call.latency_ms;
    report["as_of"] = TimeOrNull(call.as_of);
    reports.push_back(std::move(report));
  }
  return reports;
}

bool AnyFailed(const std::vector<SiteCall>& calls) {
  for (const SiteCall& call : calls) {
    if (!call.ok()) return true;
  }
  return false;
}

http::HttpResponse SitesAnswer(const http::HttpRequest& request, json::object body,
                               const std::vector<SiteCall>& calls, bool partial_allowed) {
  std::string text = json::serialize(body);
  return SitesAnswer(request, text.substr(1, text.size() - 2), calls, partial_allowed);
}

http::HttpResponse SitesAnswer(const http::HttpRequest& request, std::string members,
                               const std::vector<SiteCall>& calls, bool partial_allowed) {
  const bool partial = AnyFailed(calls);
  if (partial && !partial_allowed) {
    core::Error error{core::ErrorKind::kBadGateway,
                      "partial_answer",
                      "not every site answered, and partial_response=false",
                      {}};
    json::object refusal = http::ErrorBody(error);
    refusal["sites"] = SiteReports(calls);
    return http::KindResponse(request, error.kind, json::serialize(refusal));
  }
  std::string body;
  body.reserve(members.size() + 64 + 160 * calls.size());
  body += '{';
  body += members;
  body += members.empty() ? "\"partial\":" : ",\"partial\":";
  body += partial ? "true" : "false";
  body += ",\"sites\":";
  body += json::serialize(SiteReports(calls));
  body += '}';
  http::HttpResponse response = http::JsonResponse(request, http::status::ok, std::move(body));
  if (partial) {
    response.set(http::field::cache_control, "no-store");
    response.prepare_payload();
  }
  return response;
}

}  // namespace dataplane::central_api
