#pragma once
// Name resolution for the HTTP client (internal to async_client).
//
// Resolve() yields the endpoints of host:port. An IP address is returned as it is, without a
// lookup. A name is looked up by Asio's resolver, which has no per-operation cancellation; so
// the lookup runs detached and only the wait for it honours the awaiting coroutine's
// cancellation slot: a cancelled or timed-out request returns at once while getaddrinfo
// finishes in the background (its result is then dropped). Failures are kUnavailable errors
// naming "host:port". Must be awaited on a strand (or a single-threaded executor).
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "core/error.h"
#include "http/url.h"

namespace dataplane::http::detail {

using Endpoints = std::vector<boost::asio::ip::tcp::endpoint>;

//! The endpoints of `upstream`'s host and port; `io` runs the resolver.
boost::asio::awaitable<core::Result<Endpoints>> Resolve(boost::asio::any_io_executor io,
                                                        const HttpTarget& upstream);

}  // namespace dataplane::http::detail
