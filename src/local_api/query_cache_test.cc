#include "local_api/query_cache.h"

#include <thread>

#include <gtest/gtest.h>

namespace dataplane::local_api {
namespace {

QueryCacheOptions Options(std::chrono::microseconds ttl, std::size_t entries = 100,
                          std::size_t bytes = 1 << 20) {
  QueryCacheOptions o;
  o.ttl = ttl;
  o.max_entries = entries;
  o.max_bytes = bytes;
  return o;
}

constexpr std::chrono::microseconds kMinute{60'000'000};

TEST(QueryCacheTest, StoresAndServesWithinTheGeneration) {
  metrics::MetricsRegistry metrics;
  QueryCache cache(Options(kMinute), metrics);
  EXPECT_EQ(cache.Get("/v1/jobs"), nullptr);
  cache.Put("/v1/jobs", cache.Generation(), "answer");
  auto hit = cache.Get("/v1/jobs");
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(*hit, "answer");
  const std::string text = metrics.Serialize();
  EXPECT_NE(text.find("dataplane_cache_lookups_total{result=\"hit\"} 1"), std::string::npos);
  EXPECT_NE(text.find("dataplane_cache_lookups_total{result=\"miss\"} 1"), std::string::npos);
}

TEST(QueryCacheTest, InvalidateHidesEverythingCachedBefore) {
  metrics::MetricsRegistry metrics;
  QueryCache cache(Options(kMinute), metrics);
  cache.Put("a", cache.Generation(), "old");
  cache.Invalidate();
  EXPECT_EQ(cache.Get("a"), nullptr);
}

TEST(QueryCacheTest, AnAnswerComputedAcrossACommitIsNeverStored) {
  metrics::MetricsRegistry metrics;
  QueryCache cache(Options(kMinute), metrics);
  const std::uint64_t before_query = cache.Generation();
  cache.Invalidate();  // a commit lands while the query runs
  cache.Put("a", before_query, "stale");
  EXPECT_EQ(cache.Get("a"), nullptr);
}

TEST(QueryCacheTest, EntriesExpireAfterTheTtl) {
  metrics::MetricsRegistry metrics;
  QueryCache cache(Options(std::chrono::microseconds(1000)), metrics);
  cache.Put("a", cache.Generation(), "x");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(cache.Get("a"), nullptr);
}

TEST(QueryCacheTest, LeastRecentlyUsedGoesFirstWhenFull) {
  metrics::MetricsRegistry metrics;
  QueryCache cache(Options(kMinute, 2), metrics);
  cache.Put("a", cache.Generation(), "1");
  cache.Put("b", cache.Generation(), "2");
  ASSERT_NE(cache.Get("a"), nullptr);  // a is now the most recent
  cache.Put("c", cache.Generation(), "3");
  EXPECT_NE(cache.Get("a"), nullptr);
  EXPECT_EQ(cache.Get("b"), nullptr);
  EXPECT_NE(cache.Get("c"), nullptr);
}

TEST(QueryCacheTest, ByteBoundEvictsAndHugeAnswersAreNotCached) {
  metrics::MetricsRegistry metrics;
  QueryCache cache(Options(kMinute, 100, 400), metrics);
  cache.Put("a", cache.Generation(), std::string(90, 'x'));
  cache.Put("b", cache.Generation(), std::string(90, 'y'));
  cache.Put("c", cache.Generation(), std::string(90, 'z'));
  cache.Put("d", cache.Generation(), std::string(90, 'w'));
  cache.Put("e", cache.Generation(), std::string(90, 'v'));
  EXPECT_EQ(cache.Get("a"), nullptr);
  EXPECT_NE(cache.Get("e"), nullptr);
  cache.Put("huge", cache.Generation(), std::string(200, 'h'));  // over a quarter of the bound
  EXPECT_EQ(cache.Get("huge"), nullptr);
}

TEST(QueryCacheTest, TtlZeroDisablesTheCache) {
  metrics::MetricsRegistry metrics;
  QueryCache cache(Options(std::chrono::microseconds(0)), metrics);
  EXPECT_FALSE(cache.enabled());
  cache.Put("a", cache.Generation(), "x");
  EXPECT_EQ(cache.Get("a"), nullptr);
  // Commits still move the generation: the single flight of misses keys on it.
  const std::uint64_t before = cache.Generation();
  cache.Invalidate();
  EXPECT_GT(cache.Generation(), before);
}

TEST(QueryCacheTest, TheCompressedFormIsMadeOncePerEntryAndCountedInItsBytes) {
  metrics::MetricsRegistry metrics;
  QueryCache cache(Options(kMinute), metrics);
  cache.Put("a", cache.Generation(), std::string(1000, 'x'));
  auto body = cache.Get("a");
  int calls = 0;
  const auto compress = [&calls](std::string_view b) {
    ++calls;
    return "z" + std::to_string(b.size());
  };
  EXPECT_EQ(*cache.CompressedOf("a", body, compress), "z1000");
  EXPECT_EQ(*cache.CompressedOf("a", body, compress), "z1000");
  EXPECT_EQ(calls, 1);
  EXPECT_NE(metrics.Serialize().find("dataplane_cache_size{unit=\"bytes\"} 1006"),
            std::string::npos)
      << metrics.Serialize();  // 1000 + key 1 + "z1000" 5
  // A new answer under the key is compressed anew; the old body's form is not kept for it.
  cache.Put("a", cache.Generation(), "new");
  auto fresh = cache.Get("a");
  EXPECT_EQ(*cache.CompressedOf("a", body, compress), "z1000");  // computed, not stored
  EXPECT_EQ(*cache.CompressedOf("a", fresh, compress), "z3");
  EXPECT_EQ(calls, 3);
  cache.Invalidate();  // dropped with its entry
  EXPECT_EQ(*cache.CompressedOf("a", fresh, compress), "z3");
  EXPECT_EQ(calls, 4);
}

}  // namespace
}  // namespace dataplane::local_api
