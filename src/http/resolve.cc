#include "http/resolve.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

namespace dataplane::http::detail {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using Channel = asio::experimental::channel<void(error_code, tcp::resolver::results_type)>;

}  // namespace

asio::awaitable<core::Result<Endpoints>> Resolve(asio::any_io_executor io,
                                                 const HttpTarget& upstream) {
  const auto port = static_cast<unsigned short>(upstream.port);
  error_code ec;
  const asio::ip::address address = asio::ip::make_address(upstream.host, ec);
  if (!ec) co_return Endpoints{tcp::endpoint(address, port)};

  // The lookup's completion and the wait both run on the awaiting coroutine's strand, so the
  // (not thread-safe) channel needs no lock; both keep the channel and resolver alive.
  const auto strand = co_await asio::this_coro::executor;
  auto channel = std::make_shared<Channel>(strand, 1);
  auto resolver = std::make_shared<tcp::resolver>(io);
  resolver->async_resolve(
      upstream.host, std::to_string(port),
      asio::bind_executor(strand,
                          [channel, resolver](error_code ec, tcp::resolver::results_type results) {
                            channel->try_send(ec, std::move(results));
                          }));
  // `failed` is the lookup's error, or the channel's when the wait was cancelled.
  auto [failed, results] = co_await channel->async_receive(asio::as_tuple(asio::use_awaitable));
  if (failed) {
    resolver->cancel();
    co_return core::Error::Unavailable(upstream.Endpoint() + ": resolve: " + failed.message());
  }
  Endpoints endpoints;
  for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  if (endpoints.empty()) {
    co_return core::Error::Unavailable(upstream.Endpoint() + ": resolve: no address");
  }
  co_return endpoints;
}

}  // namespace dataplane::http::detail
