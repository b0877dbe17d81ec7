#pragma once
// The Central API's clients to its sites: one asynchronous client (http/async_client.h) per I/O
// context of its server, each with its own keep-alive pools. A call is made by the client of
// the context the calling coroutine runs on, so that a request, its calls to the sites and
// their answers all stay on one thread (http/server.h, context_per_thread): no hand-off to
// another thread, and no connection shared between threads. Built before the server starts and
// destroyed after it stopped; CloseIdle() closes the idle connections while their contexts
// still exist.
#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "http/async_client.h"

namespace dataplane::central_api {

class SiteClients {
 public:
  SiteClients(const std::vector<boost::asio::any_io_executor>& executors,
              const http::HttpClientOptions& options);

  //! The client of the I/O context `executor` runs on; the first one for any other context.
  http::AsyncHttpClient& For(const boost::asio::any_io_executor& executor);
  void CloseIdle();

 private:
  struct PerContext {
    boost::asio::execution_context* context;
    std::unique_ptr<http::AsyncHttpClient> client;
  };
  std::vector<PerContext> clients_;
};

}  // namespace dataplane::central_api
