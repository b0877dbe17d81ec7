// ListObjectsV2 across pages: a small max-keys, continuation tokens, every key once in order.
#include <gtest/gtest.h>

#include "s3/s3_client.h"
#include "swift_node.h"

namespace dataplane::s3 {
namespace {

TEST(ListPaging, SmallMaxKeysPagesThroughEveryKeyInOrder) {
  auto client = testing::SwiftClient(testing::BucketForThisTest());
  ASSERT_NE(client, nullptr);
  std::vector<std::string> keys;
  for (int day = 1; day <= 5; ++day) {
    keys.push_back("site=fab1/table=event/date=2026-12-0" + std::to_string(day) + "/part.parquet");
    ASSERT_TRUE(client->PutObject(keys.back(), "day " + std::to_string(day)).ok());
  }
  ASSERT_TRUE(client->PutObject("site=fab2/table=event/other.parquet", "not listed").ok());

  auto first = client->ListObjectsV2("site=fab1/", "", 2);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->objects.size(), 2u);
  EXPECT_TRUE(first->truncated);
  EXPECT_EQ(first->objects[0].key, keys[0]);
  EXPECT_EQ(first->objects[1].key, keys[1]);
  auto second = client->ListObjectsV2("site=fab1/", first->next_continuation_token, 2);
  ASSERT_TRUE(second.ok()) << second.error().message;
  ASSERT_EQ(second->objects.size(), 2u);
  EXPECT_EQ(second->objects[0].key, keys[2]);
  auto last = client->ListObjectsV2("site=fab1/", second->next_continuation_token, 2);
  ASSERT_TRUE(last.ok()) << last.error().message;
  ASSERT_EQ(last->objects.size(), 1u);
  EXPECT_FALSE(last->truncated);
  EXPECT_EQ(last->objects[0].key, keys[4]);

  auto all = client->ListAllObjects("site=fab1/", 2);
  ASSERT_TRUE(all.ok()) << all.error().message;
  std::vector<std::string> listed;
  for (const auto& object : *all) listed.push_back(object.key);
  EXPECT_EQ(listed, keys);
}

}  // namespace
}  // namespace dataplane::s3
