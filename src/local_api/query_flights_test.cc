#include "local_api/query_flights.h"

#include <future>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>

namespace dataplane::local_api {
namespace {
namespace asio = boost::asio;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Two I/O threads, so that a follower waits on one while the leader finishes on another.
class QueryFlightsTest : public ::testing::Test {
 protected:
  QueryFlightsTest() : work_(io_.get_executor()), flights_(metrics_) {
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~QueryFlightsTest() override {
    work_.reset();
    for (auto& t : threads_) t.join();
  }

  // A follower's Wait, started on a strand of the test's io_context.
  std::future<std::optional<QueryFlights::Answer>> WaitOn(
      const QueryFlights::Ticket& ticket, Clock::duration timeout = std::chrono::seconds(10)) {
    return asio::co_spawn(asio::make_strand(io_),
                          QueryFlights::Wait(ticket.flight, Clock::now() + timeout),
                          asio::use_future);
  }

  std::string Metrics() const { return metrics_.Serialize(); }

  metrics::MetricsRegistry metrics_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  QueryFlights flights_;
  std::vector<std::thread> threads_;
};

TEST_F(QueryFlightsTest, FollowersOfOneGenerationShareTheLeadersAnswer) {
  const auto leader = flights_.Join("/v1/jobs", 7);
  ASSERT_TRUE(leader.leader);
  const auto a = flights_.Join("/v1/jobs", 7);
  const auto b = flights_.Join("/v1/jobs", 7);
  EXPECT_FALSE(a.leader);
  EXPECT_FALSE(b.leader);
  auto wait_a = WaitOn(a);
  auto wait_b = WaitOn(b);
  EXPECT_EQ(wait_a.wait_for(milliseconds(50)), std::future_status::timeout);  // still waiting
  flights_.Finish("/v1/jobs", leader, std::string("answer"));
  for (auto* waiting : {&wait_a, &wait_b}) {
    auto answer = waiting->get();
    ASSERT_TRUE(answer.has_value());
    ASSERT_TRUE(answer->ok());
    EXPECT_EQ(**answer, "answer");
  }
  EXPECT_EQ(flights_.size(), 0u);
  EXPECT_NE(Metrics().find("dataplane_cache_shared_total 2"), std::string::npos) << Metrics();
  // The flight is over: the next miss leads again.
  EXPECT_TRUE(flights_.Join("/v1/jobs", 7).leader);
}

TEST_F(QueryFlightsTest, AMissAfterACommitNeverJoinsAnOlderQuery) {
  const auto before = flights_.Join("/v1/jobs", 1);
  const auto after = flights_.Join("/v1/jobs", 2);  // a commit was acknowledged in between
  ASSERT_TRUE(before.leader);
  ASSERT_TRUE(after.leader);
  const auto follower_of_after = flights_.Join("/v1/jobs", 2);
  ASSERT_FALSE(follower_of_after.leader);
  EXPECT_EQ(follower_of_after.flight, after.flight);
  auto waiting = WaitOn(follower_of_after);
  // The older query finishing neither answers the newer flight's followers nor ends that flight.
  flights_.Finish("/v1/jobs", before, std::string("old"));
  EXPECT_EQ(waiting.wait_for(milliseconds(50)), std::future_status::timeout);
  EXPECT_EQ(flights_.size(), 1u);
  flights_.Finish("/v1/jobs", after, std::string("new"));
  EXPECT_EQ(**waiting.get(), "new");
  EXPECT_EQ(flights_.size(), 0u);
}

TEST_F(QueryFlightsTest, KeysDoNotShare) {
  EXPECT_TRUE(flights_.Join("/v1/jobs?status=failed", 1).leader);
  EXPECT_TRUE(flights_.Join("/v1/jobs?status=running", 1).leader);
  EXPECT_EQ(flights_.size(), 2u);
}

TEST_F(QueryFlightsTest, TheLeadersErrorIsTheFollowersAnswer) {
  const auto leader = flights_.Join("k", 1);
  auto waiting = WaitOn(flights_.Join("k", 1));
  flights_.Finish("k", leader, core::Error::Unavailable("all database connections are busy"));
  auto answer = waiting.get();
  ASSERT_TRUE(answer.has_value());
  ASSERT_FALSE(answer->ok());
  EXPECT_EQ(answer->error().kind, core::ErrorKind::kUnavailable);
  EXPECT_EQ(answer->error().message, "all database connections are busy");
}

TEST_F(QueryFlightsTest, AFollowerThatComesAfterTheAnswerHasItAtOnce) {
  const auto leader = flights_.Join("k", 1);
  const auto follower = flights_.Join("k", 1);
  flights_.Finish("k", leader, std::string("done"));
  auto waiting = WaitOn(follower);
  ASSERT_EQ(waiting.wait_for(milliseconds(2000)), std::future_status::ready);
  EXPECT_EQ(**waiting.get(), "done");
}

TEST_F(QueryFlightsTest, AFollowerStopsWaitingAtItsDeadline) {
  const auto leader = flights_.Join("k", 1);
  const auto started = Clock::now();
  auto waiting = WaitOn(flights_.Join("k", 1), milliseconds(100));
  EXPECT_FALSE(waiting.get().has_value());
  EXPECT_GE(Clock::now() - started, milliseconds(100));
  flights_.Finish("k", leader, std::string("late"));  // finishing after nobody waits is fine
}

TEST_F(QueryFlightsTest, ALeaderLeftWithoutAnAnswerReleasesItsFollowersWithARetryableError) {
  std::future<std::optional<QueryFlights::Answer>> waiting;
  {
    QueryFlights::Leader leader(flights_, "k", flights_.Join("k", 1));
    waiting = WaitOn(flights_.Join("k", 1));
  }  // as when the leader's query threw
  auto answer = waiting.get();
  ASSERT_TRUE(answer.has_value());
  ASSERT_FALSE(answer->ok());
  EXPECT_EQ(answer->error().kind, core::ErrorKind::kUnavailable);
  EXPECT_EQ(flights_.size(), 0u);
}

TEST_F(QueryFlightsTest, ManyFollowersOnManyThreadsAllGetTheAnswer) {
  const auto leader = flights_.Join("k", 3);
  std::vector<std::future<std::optional<QueryFlights::Answer>>> waiting;
  for (int i = 0; i < 100; ++i) waiting.push_back(WaitOn(flights_.Join("k", 3)));
  std::thread finisher([&] { flights_.Finish("k", leader, std::string("x")); });
  for (auto& w : waiting) {
    auto answer = w.get();
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(**answer, "x");
  }
  finisher.join();
}

}  // namespace
}  // namespace dataplane::local_api
