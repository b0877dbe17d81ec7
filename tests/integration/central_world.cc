#include "central_world.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "pg/migrations.h"

namespace dataplane::testing {
namespace {

// A loopback TCP socket bound to a free port; `port` receives the port.
int BoundSocket(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

}  // namespace

central_api::CentralApiConfig CentralConfigFor(const std::string& site_urls,
                                               std::chrono::milliseconds site_timeout) {
  central_api::CentralApiConfig config;
  auto sites = central_api::ParseSiteUrls(site_urls);
  EXPECT_TRUE(sites.ok()) << sites.error().message;
  if (sites.ok()) config.sites = *sites;
  config.port = 0;
  config.bind_address = "127.0.0.1";
  config.site_timeout = site_timeout;
  config.poll_interval = std::chrono::seconds(3600);  // tests poll when they say so
  config.circuit.failure_threshold = 1000;            // tests of the breaker lower it
  return config;
}

std::unique_ptr<TestApi> StartSite(const std::string& database, const std::string& site_id) {
  Harness::Get().RecreateDatabase(database);
  auto conn = pg::Connection::Open({Harness::Get().UrlOf(database)});
  EXPECT_TRUE(conn.ok());
  if (!conn.ok()) return nullptr;
  pg::Migrate(**conn);
  local_api::LocalApiConfig config = Harness::Get().ApiConfig();
  config.database_url = Harness::Get().UrlOf(database);
  config.site_id = site_id;
  auto site = std::make_unique<TestApi>(config);
  EXPECT_TRUE(site->Start().ok()) << site_id;
  return site;
}

std::string SiteUrl(int port) { return "http://127.0.0.1:" + std::to_string(port); }

int DeadPort() {
  int port = 0;
  ::close(BoundSocket(port));
  return port;
}

SilentSocket::SilentSocket() {
  fd_ = BoundSocket(port_);
  ::listen(fd_, 64);
}

SilentSocket::~SilentSocket() { ::close(fd_); }

http::HttpResponse JsonReply(const http::HttpRequest& request, http::status status,
                             std::string body) {
  http::HttpResponse response{status, request.version()};
  response.set(http::field::content_type, "application/json");
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

}  // namespace dataplane::testing
