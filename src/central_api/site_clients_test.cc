// Tests of SiteClients: a call is made by the client of the caller's own I/O context, also when
// the caller runs on a strand of it.
#include "central_api/site_clients.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

namespace dataplane::central_api {
namespace {
namespace asio = boost::asio;

TEST(SiteClients, EachContextHasItsOwnClientAndAStrandFindsItsContexts) {
  asio::io_context first, second, other;
  SiteClients clients({first.get_executor(), second.get_executor()}, {});
  http::AsyncHttpClient& of_first = clients.For(first.get_executor());
  http::AsyncHttpClient& of_second = clients.For(second.get_executor());
  EXPECT_NE(&of_first, &of_second);
  EXPECT_EQ(&clients.For(asio::make_strand(second)), &of_second);
  EXPECT_EQ(&clients.For(asio::make_strand(first.get_executor())), &of_first);
  // A context without a client of its own is served by the first one.
  EXPECT_EQ(&clients.For(other.get_executor()), &of_first);
}

}  // namespace
}  // namespace dataplane::central_api
