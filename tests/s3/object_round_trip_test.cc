// Put, head, get, list and delete against Swift's S3, with keys in the Hive layout the Archiver
// writes ("site=fab1/table=event/date=…") and keys full of bytes SigV4 must percent-encode.
#include <gtest/gtest.h>

#include "s3/digest.h"
#include "s3/s3_client.h"
#include "swift_node.h"

namespace dataplane::s3 {
namespace {

using testing::BucketForThisTest;
using testing::SwiftClient;

constexpr char kHiveKey[] = "site=fab1/table=event/date=2026-12-01/part-0000.parquet";

TEST(ObjectRoundTrip, PutHeadGetListDeleteOfAHiveKey) {
  auto client = SwiftClient(BucketForThisTest());
  ASSERT_NE(client, nullptr);
  const std::string body = "PAR1 pretend parquet bytes\n";

  auto etag = client->PutObject(kHiveKey, body);
  ASSERT_TRUE(etag.ok()) << etag.error().message;
  EXPECT_EQ(*etag, Md5Hex(body));

  auto head = client->HeadObject(kHiveKey);
  ASSERT_TRUE(head.ok()) << head.error().message;
  ASSERT_TRUE(head->has_value());
  EXPECT_EQ((*head)->size, body.size());
  EXPECT_EQ((*head)->etag, Md5Hex(body));

  auto got = client->GetObject(kHiveKey);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, body);

  auto listed = client->ListAllObjects("site=fab1/table=event/");
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].key, kHiveKey);
  EXPECT_EQ((*listed)[0].size, body.size());
  EXPECT_EQ((*listed)[0].etag, Md5Hex(body));

  ASSERT_TRUE(client->DeleteObject(kHiveKey).ok());
  auto gone = client->HeadObject(kHiveKey);
  ASSERT_TRUE(gone.ok()) << gone.error().message;
  EXPECT_FALSE(gone->has_value());
  auto empty = client->ListAllObjects("site=fab1/");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(ObjectRoundTrip, KeysWithBytesSigV4MustEncode) {
  auto client = SwiftClient(BucketForThisTest());
  ASSERT_NE(client, nullptr);
  const std::string key = "odd/a b+c!'()*~,;:@&$=\xC3\xA9/%41.txt";
  ASSERT_TRUE(client->PutObject(key, "x").ok());
  auto got = client->GetObject(key);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, "x");
  auto listed = client->ListAllObjects("odd/");
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].key, key);
}

TEST(ObjectRoundTrip, GetIntoACallbackDeliversTheWholeBody) {
  auto client = SwiftClient(BucketForThisTest());
  ASSERT_NE(client, nullptr);
  std::string body(300 * 1024, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>(i * 7 % 251);
  ASSERT_TRUE(client->PutObject("blob", body).ok());
  std::string received;
  int chunks = 0;
  const core::Status status = client->GetObject("blob", [&](std::string_view chunk) {
    received.append(chunk);
    ++chunks;
    return core::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_EQ(received, body);
  EXPECT_GT(chunks, 1);
}

TEST(ObjectRoundTrip, ACallbackErrorStopsTheTransfer) {
  auto client = SwiftClient(BucketForThisTest());
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->PutObject("blob", std::string(200 * 1024, 'z')).ok());
  int chunks = 0;
  const core::Status status = client->GetObject("blob", [&](std::string_view) -> core::Status {
    ++chunks;
    return core::Error{core::ErrorKind::kInternal, "disk_full", "no space left", {}};
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, "disk_full");
  EXPECT_EQ(chunks, 1);
}

TEST(ObjectRoundTrip, MissingObjectsAndBucketsAreNamed) {
  auto client = SwiftClient(BucketForThisTest());
  ASSERT_NE(client, nullptr);
  auto missing = client->GetObject("no/such/key");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "s3_no_such_key");
  EXPECT_EQ(missing.error().kind, core::ErrorKind::kNotFound);
  EXPECT_TRUE(client->DeleteObject("no/such/key").ok());

  auto other = S3Client::Create(testing::SwiftOptions("never-created-bucket"));
  ASSERT_TRUE(other.ok());
  auto put = (*other)->PutObject("k", "v");
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, "s3_no_such_bucket") << put.error().message;
  EXPECT_NE(put.error().message.find("NoSuchBucket"), std::string::npos);
}

TEST(ObjectRoundTrip, CreatingAnOwnedBucketAgainSucceeds) {
  auto client = SwiftClient(BucketForThisTest());
  ASSERT_NE(client, nullptr);
  const core::Status again = client->CreateBucket();
  EXPECT_TRUE(again.ok()) << again.error().message;
}

}  // namespace
}  // namespace dataplane::s3
