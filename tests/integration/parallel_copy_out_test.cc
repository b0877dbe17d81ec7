// pg::ParallelCopyOut on the real server: every message of every stream reaches the consumer
// once, in its stream's order, through a queue far smaller than the result; the first failure —
// the consumer's or a server's — stops every stream and is the one returned; the connections
// work afterwards. The streams that must be stopped never end on their own, on connections
// without a statement timeout: were one not cancelled, the call would never return.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness.h"
#include "pg/connection.h"
#include "pg/parallel_copy_out.h"

namespace dataplane::testing {
namespace {

std::string CopyOfSeries(const std::string& from, const std::string& to) {
  return "COPY (SELECT g FROM generate_series(" + from + "::bigint, " + to + ") g) TO STDOUT";
}

// Rows as fast as the server makes them, forever.
constexpr const char* kEndless = "COPY (SELECT generate_series(1, 9223372036854775807)) TO STDOUT";
// No row for an hour.
constexpr const char* kSilent = "COPY (SELECT pg_sleep(3600)) TO STDOUT";

std::unique_ptr<pg::Connection> Untimed() {
  auto conn = pg::Connection::Open(
      {.url = Harness::Get().cluster().Url(), .statement_timeout = std::chrono::milliseconds(0)});
  EXPECT_TRUE(conn) << conn.error().message;
  return conn ? std::move(*conn) : nullptr;
}

// Three connections; each sees nothing but its own statements.
struct Connections {
  std::unique_ptr<pg::Connection> a = Untimed();
  std::unique_ptr<pg::Connection> b = Untimed();
  std::unique_ptr<pg::Connection> c = Untimed();
  std::vector<pg::Connection*> All() const { return {a.get(), b.get(), c.get()}; }
};

TEST(ParallelCopyOut, EveryMessageOfEveryStreamArrivesOnceAndInItsStreamsOrder) {
  Connections conns;
  const std::vector<pg::CopyOutStream> streams = {
      {conns.a.get(), CopyOfSeries("1", "200000")},
      {conns.b.get(), CopyOfSeries("1000001", "1100000")}};
  std::vector<std::int64_t> last = {0, 1000000};
  std::vector<std::int64_t> count = {0, 0};
  bool in_order = true;
  // A queue of one byte: every chunk waits for the consumer (the readers' back-pressure).
  const core::Status copied = pg::ParallelCopyOut(
      streams,
      [&](std::size_t stream, std::string_view message) -> core::Status {
        const std::int64_t value = std::stoll(std::string(message));  // "123\n"
        in_order = in_order && value == last[stream] + 1;
        last[stream] = value;
        ++count[stream];
        return core::OkStatus();
      },
      /*queue_bytes=*/1);
  ASSERT_TRUE(copied.ok()) << copied.error().message;
  EXPECT_TRUE(in_order);
  EXPECT_EQ(count, (std::vector<std::int64_t>{200000, 100000}));
  EXPECT_EQ(last, (std::vector<std::int64_t>{200000, 1100000}));
}

TEST(ParallelCopyOut, TheConsumersFailureStopsEveryStreamAndIsTheOneReturned) {
  Connections conns;
  const std::vector<pg::CopyOutStream> streams = {
      {conns.a.get(), kEndless}, {conns.b.get(), kEndless}, {conns.c.get(), kSilent}};
  int seen = 0;
  const core::Status copied =
      pg::ParallelCopyOut(streams, [&](std::size_t, std::string_view) -> core::Status {
        if (++seen < 50000) return core::OkStatus();
        return core::Error{core::ErrorKind::kInternal, "full", "the disk is full", {}};
      });
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.error().code, "full");
  EXPECT_EQ(seen, 50000);  // nothing more after the failure
  for (pg::Connection* conn : conns.All()) EXPECT_EQ(conn->Exec("SELECT 7").Int64(0, 0), 7);
}

TEST(ParallelCopyOut, AServersFailureStopsTheOtherStreamsAndIsTheOneReturned) {
  Connections conns;
  const std::vector<pg::CopyOutStream> streams = {
      {conns.a.get(), kEndless},
      {conns.b.get(), kSilent},
      {conns.c.get(),
       "COPY (SELECT 1 / (100000 - g) FROM generate_series(1, 200000) g) TO STDOUT"}};
  const core::Status copied =
      pg::ParallelCopyOut(streams, [](std::size_t, std::string_view) { return core::OkStatus(); });
  ASSERT_FALSE(copied.ok());
  EXPECT_NE(copied.error().message.find("division by zero"), std::string::npos)
      << copied.error().message;
  for (pg::Connection* conn : conns.All()) EXPECT_EQ(conn->Exec("SELECT 7").Int64(0, 0), 7);
}

TEST(ParallelCopyOut, AStreamThatIsNotACopyFailsTheCall) {
  Connections conns;
  const std::vector<pg::CopyOutStream> streams = {{conns.a.get(), CopyOfSeries("1", "10")},
                                                  {conns.b.get(), "SELECT 1"}};
  const core::Status copied =
      pg::ParallelCopyOut(streams, [](std::size_t, std::string_view) { return core::OkStatus(); });
  EXPECT_FALSE(copied.ok());
}

}  // namespace
}  // namespace dataplane::testing
