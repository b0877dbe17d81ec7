// gzip answers: the codec against zlib's own inflate, Accept-Encoding as RFC 9110 reads it, and
// the compression middleware in a real server over loopback HTTP.
#include <gtest/gtest.h>

#include "http/client.h"
#include "http/compression_middleware.h"
#include "http/gzip.h"
#include "http/server.h"

namespace dataplane::http {
namespace {
namespace asio = boost::asio;

// The data of a gzip member, or a test failure.
std::string Gunzip(const std::string& gzip) {
  auto data = http::Gunzip(gzip, 1 << 24);
  EXPECT_TRUE(data.ok()) << data.error().message;
  return data.ok() ? *data : std::string();
}

TEST(GzipTest, RoundTripsThroughZlib) {
  std::string json = "{\"items\":[";
  for (int i = 0; i < 1000; ++i)
    json += "{\"id\":" + std::to_string(i) + ",\"status\":\"failed\"},";
  json.back() = ']';
  json += "}";
  const std::string gzip = Gzip(json);
  EXPECT_EQ(static_cast<unsigned char>(gzip[0]), 0x1f);  // the gzip magic
  EXPECT_EQ(static_cast<unsigned char>(gzip[1]), 0x8b);
  EXPECT_LT(gzip.size(), json.size() / 4);
  EXPECT_EQ(Gunzip(gzip), json);
  EXPECT_EQ(Gunzip(Gzip("")), "");
  EXPECT_EQ(Gunzip(Gzip(std::string("\0\xff\x80 binary", 10), 9)),
            std::string("\0\xff\x80 binary", 10));
}

TEST(GzipTest, GunzipStopsAtItsBoundAndRefusesWhatIsNotOneMember) {
  const std::string bomb = Gzip(std::string(10'000'000, '\0'), 9);  // ~10 KB of gzip
  EXPECT_LT(bomb.size(), 20'000u);
  auto refused = http::Gunzip(bomb, 1'000'000);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "too_large");
  EXPECT_EQ(http::Gunzip(bomb, 10'000'000)->size(), 10'000'000u);  // exactly at the bound
  const std::string good = Gzip("{\"a\":1}");
  for (const std::string& bad : {std::string(), std::string("not gzip"),
                                 good.substr(0, good.size() - 3), good + "x", good + good}) {
    auto result = http::Gunzip(bad, 1 << 20);
    ASSERT_FALSE(result.ok()) << bad.size();
    EXPECT_EQ(result.error().code, "bad_gzip");
  }
}

TEST(GzipTest, AcceptEncodingAsRfc9110ReadsIt) {
  for (const char* yes :
       {"gzip", "GZIP", "x-gzip", "deflate, gzip", "gzip;q=0.5", "br;q=1, gzip ; q=0.001", "*",
        "*;q=0.1", "gzip;level=1", "identity, gzip", "gzip, gzip;q=0"}) {
    EXPECT_TRUE(AcceptsGzip(yes)) << yes;
  }
  for (const char* no :
       {"", "identity", "br, deflate", "gzip;q=0", "gzip;q=0.000", "*;q=0", "gzip;q=0, *",
        "gzip;q=abc", "gzip;q=2", "gzip;q=-1", "gzipx", "zgip", "*;q=0, x-gzip;q=0"}) {
    EXPECT_FALSE(AcceptsGzip(no)) << no;
  }
}

std::string LongJson() { return "{\"text\":\"" + std::string(5000, 'a') + "\"}"; }

// A server whose routes answer a long JSON body, a short one, a long binary one and a long
// one that is already encoded, behind the compression middleware.
struct CompressingServer {
  CompressingServer() : server(Options(), Routes(), {CompressionMiddleware()}) {
    EXPECT_TRUE(server.Start().ok());
  }
  static HttpServerOptions Options() {
    HttpServerOptions o;
    o.address = "127.0.0.1";
    return o;
  }
  static Router Routes() {
    Router router;
    router.Add(verb::get, "/long",
               [](const HttpRequest& r, RequestContext&) -> asio::awaitable<HttpResponse> {
                 co_return JsonResponse(r, status::ok, LongJson());
               });
    router.Add(verb::get, "/short",
               [](const HttpRequest& r, RequestContext&) -> asio::awaitable<HttpResponse> {
                 co_return JsonResponse(r, status::ok, "{\"ok\":true}");
               });
    router.Add(verb::get, "/binary",
               [](const HttpRequest& r, RequestContext&) -> asio::awaitable<HttpResponse> {
                 HttpResponse response = JsonResponse(r, status::ok, std::string(5000, 'b'));
                 response.set(field::content_type, "application/octet-stream");
                 co_return response;
               });
    router.Add(verb::get, "/encoded",
               [](const HttpRequest& r, RequestContext&) -> asio::awaitable<HttpResponse> {
                 HttpResponse response = JsonResponse(r, status::ok, std::string());
                 SetGzipBody(response, Gzip(LongJson()));
                 co_return response;
               });
    return router;
  }
  HttpReply Get(const std::string& target, const std::string& accept_encoding) {
    HttpClient client("127.0.0.1", server.port());
    std::vector<std::pair<std::string, std::string>> headers;
    if (!accept_encoding.empty()) headers.emplace_back("Accept-Encoding", accept_encoding);
    auto reply = client.Request("GET", target, {}, "application/json", headers);
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? *reply : HttpReply{};
  }
  HttpServer server;
};

TEST(CompressionMiddlewareTest, GzipsLongJsonForClientsThatTakeIt) {
  CompressingServer s;
  const HttpReply gzip = s.Get("/long", "gzip, deflate");
  EXPECT_EQ(gzip.status, 200);
  EXPECT_EQ(gzip.Header("content-encoding"), "gzip");
  EXPECT_EQ(gzip.Header("vary"), "Accept-Encoding");
  EXPECT_EQ(gzip.Header("content-type").substr(0, 16), "application/json");
  EXPECT_LT(gzip.body.size(), 200u);
  EXPECT_EQ(Gunzip(gzip.body), LongJson());

  const HttpReply plain = s.Get("/long", "");
  EXPECT_EQ(plain.Header("content-encoding"), "");
  EXPECT_EQ(plain.Header("vary"), "Accept-Encoding");  // a shared cache must key on it
  EXPECT_EQ(plain.body, LongJson());
  EXPECT_EQ(s.Get("/long", "gzip;q=0").body, LongJson());
}

TEST(CompressionMiddlewareTest, LeavesShortBinaryAndEncodedAnswersAlone) {
  CompressingServer s;
  const HttpReply short_reply = s.Get("/short", "gzip");
  EXPECT_EQ(short_reply.Header("content-encoding"), "");
  EXPECT_EQ(short_reply.body, "{\"ok\":true}");
  const HttpReply binary = s.Get("/binary", "gzip");
  EXPECT_EQ(binary.Header("content-encoding"), "");
  EXPECT_EQ(binary.body.size(), 5000u);
  const HttpReply encoded = s.Get("/encoded", "gzip");  // compressed once, by its handler
  EXPECT_EQ(encoded.Header("content-encoding"), "gzip");
  EXPECT_EQ(Gunzip(encoded.body), LongJson());
}

}  // namespace
}  // namespace dataplane::http
