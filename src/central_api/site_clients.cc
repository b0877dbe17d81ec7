#include "central_api/site_clients.h"

#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>

namespace dataplane::central_api {
namespace asio = boost::asio;

namespace {

asio::execution_context* ContextOf(const asio::any_io_executor& executor) {
  return &asio::query(executor, asio::execution::context);
}

}  // namespace

SiteClients::SiteClients(const std::vector<asio::any_io_executor>& executors,
                         const http::HttpClientOptions& options) {
  for (const auto& executor : executors) {
    clients_.push_back(
        {ContextOf(executor), std::make_unique<http::AsyncHttpClient>(executor, options)});
  }
}

http::AsyncHttpClient& SiteClients::For(const asio::any_io_executor& executor) {
  asio::execution_context* context = ContextOf(executor);
  for (PerContext& entry : clients_) {
    if (entry.context == context) return *entry.client;
  }
  return *clients_.front().client;
}

void SiteClients::CloseIdle() {
  for (PerContext& entry : clients_) entry.client->CloseIdle();
}

}  // namespace dataplane::central_api
