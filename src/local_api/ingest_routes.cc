#include "local_api/ingest_routes.h"

#include <memory>

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include "http/request_context.h"
#include "http/status.h"

namespace dataplane::local_api {
namespace asio = boost::asio;
namespace json = boost::json;
using http::HttpRequest;
using http::HttpResponse;
using http::status;

namespace {

// Hands events to the writer and resumes the caller on its own executor after COMMIT.
template <typename Token>
auto AsyncWrite(ingest::IngestWriter& writer, std::vector<ingest::Event> events,
                const core::CallContext& call, Token&& token) {
  return asio::async_initiate<Token, void(ingest::WriteOutcome)>(
      [&writer, &call](auto handler, std::vector<ingest::Event> events) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        auto resume = [shared](ingest::WriteOutcome outcome) {
          auto executor = asio::get_associated_executor(*shared);
          asio::post(executor, [shared, outcome = std::move(outcome)]() mutable {
            (*shared)(std::move(outcome));
          });
        };
        if (!writer.Submit(std::move(events), call, resume)) {
          resume({core::Error{core::ErrorKind::kUnavailable,
                              "overloaded",
                              "ingest queue is full; retry after the Retry-After delay",
                              {}},
                  {}});
        }
      },
      token, std::move(events));
}

bool IsNdjson(const HttpRequest& request) {
  const std::string_view type = request[http::field::content_type];
  return type.starts_with("application/x-ndjson") || type.starts_with("application/ndjson") ||
         type.starts_with("application/jsonl");
}

asio::awaitable<HttpResponse> PostEvent(LocalApiContext& ctx, const HttpRequest& request,
                                        const http::RequestContext& context) {
  auto event = ingest::ParseEvent(request.body(), ctx.limits, core::NowMicros());
  if (!event) {
    ctx.writer.RecordRejected(1);
    co_return http::ErrorResponse(request, event.error());
  }
  std::vector<ingest::Event> events;
  events.push_back(std::move(*event));
  ingest::WriteOutcome outcome =
      co_await AsyncWrite(ctx.writer, std::move(events), context.call, asio::use_awaitable);
  if (!outcome.status) co_return http::ErrorResponse(request, outcome.status.error());
  co_return http::JsonResponse(request, status::ok,
                               outcome.inserted[0] ? R"({"ok":true,"status":"inserted"})"
                                                   : R"({"ok":true,"status":"duplicate"})");
}

asio::awaitable<HttpResponse> PostBatch(LocalApiContext& ctx, const HttpRequest& request,
                                        const http::RequestContext& context) {
  auto items = ingest::ParseBatch(request.body(), IsNdjson(request), ctx.limits, core::NowMicros());
  if (!items) co_return http::ErrorResponse(request, items.error());
  std::vector<ingest::Event> valid;
  std::vector<std::size_t> valid_index;
  json::array errors;
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto& item = (*items)[i];
    if (item) {
      valid.push_back(std::move(*item));
      valid_index.push_back(i);
      continue;
    }
    json::object error = http::ErrorBody(item.error());
    error.erase("ok");
    error["index"] = i;
    errors.push_back(std::move(error));
  }
  if (!errors.empty()) ctx.writer.RecordRejected(errors.size());
  std::size_t inserted = 0;
  if (!valid.empty()) {
    ingest::WriteOutcome outcome =
        co_await AsyncWrite(ctx.writer, std::move(valid), context.call, asio::use_awaitable);
    if (!outcome.status) co_return http::ErrorResponse(request, outcome.status.error());
    for (bool i : outcome.inserted) inserted += i ? 1 : 0;
  }
  json::object body;
  body["ok"] = true;
  body["total"] = items->size();
  body["inserted"] = inserted;
  body["duplicates"] = valid_index.size() - inserted;
  body["rejected"] = errors.size();
  body["errors"] = std::move(errors);
  co_return http::JsonResponse(request, status::ok, json::serialize(body));
}

}  // namespace

void AddIngestRoutes(http::Router& router, LocalApiContext& ctx) {
  auto single = [&ctx](const HttpRequest& request, http::RequestContext& context) {
    return PostEvent(ctx, request, context);
  };
  auto batch = [&ctx](const HttpRequest& request, http::RequestContext& context) {
    return PostBatch(ctx, request, context);
  };
  router.Add(http::verb::post, "/v1/event", single);
  router.Add(http::verb::post, "/v1/ingest/events", single);
  router.Add(http::verb::post, "/v1/events/batch", batch);
  router.Add(http::verb::post, "/v1/ingest/events:batch", batch);
}

}  // namespace dataplane::local_api
