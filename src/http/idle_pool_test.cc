#include "http/idle_pool.h"

#include <gtest/gtest.h>

#include <string>

namespace dataplane::http::detail {
namespace {

using namespace std::chrono_literals;
using Pool = IdlePool<std::string, int>;

std::unique_ptr<int> Conn(int id) { return std::make_unique<int>(id); }

TEST(IdlePoolTest, TakesTheMostRecentOfTheSameKey) {
  Pool pool(4, 10s);
  EXPECT_EQ(pool.Take("a"), nullptr);
  pool.Put("a", Conn(1));
  pool.Put("a", Conn(2));
  pool.Put("b", Conn(3));
  EXPECT_EQ(pool.size(), 3u);
  EXPECT_EQ(*pool.Take("a"), 2);
  EXPECT_EQ(*pool.Take("a"), 1);
  EXPECT_EQ(pool.Take("a"), nullptr);
  EXPECT_EQ(*pool.Take("b"), 3);
  EXPECT_EQ(pool.size(), 0u);
}

TEST(IdlePoolTest, KeepsAtMostMaxIdlePerKeyDroppingTheOldest) {
  Pool pool(2, 10s);
  for (int i = 1; i <= 4; ++i) pool.Put("a", Conn(i));
  pool.Put("b", Conn(9));
  EXPECT_EQ(pool.size(), 3u);
  EXPECT_EQ(*pool.Take("a"), 4);
  EXPECT_EQ(*pool.Take("a"), 3);
  EXPECT_EQ(pool.Take("a"), nullptr);

  Pool none(0, 10s);
  none.Put("a", Conn(1));
  EXPECT_EQ(none.size(), 0u);
}

TEST(IdlePoolTest, ExpiredConnectionsAreClosedByTheNextCallOfAnyKey) {
  Pool pool(4, 100ms);
  const auto t0 = Pool::Clock::now();
  pool.Put("a", Conn(1), t0);
  pool.Put("b", Conn(2), t0 + 50ms);
  EXPECT_NE(pool.Take("a", t0 + 99ms), nullptr);
  pool.Put("a", Conn(3), t0 + 99ms);
  EXPECT_EQ(pool.Take("c", t0 + 160ms), nullptr);  // closes b (idle 110 ms), keeps a (61 ms)
  EXPECT_EQ(pool.size(), 1u);
  EXPECT_EQ(pool.Take("a", t0 + 250ms), nullptr);
  EXPECT_EQ(pool.size(), 0u);
}

TEST(IdlePoolTest, ClearClosesAll) {
  Pool pool(4, 10s);
  pool.Put("a", Conn(1));
  pool.Put("b", Conn(2));
  pool.Clear();
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(pool.Take("a"), nullptr);
}

}  // namespace
}  // namespace dataplane::http::detail
