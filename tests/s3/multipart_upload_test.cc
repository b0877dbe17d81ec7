// Multipart uploads through PutObjectFromSource against Swift's S3: 12 MiB in 5 MiB parts comes
// back byte for byte; parts under 5 MiB are refused (EntityTooSmall) and the upload is aborted.
#include <gtest/gtest.h>

#include "s3/digest.h"
#include "s3/s3_client.h"
#include "s3/source_upload.h"
#include "swift_node.h"

namespace dataplane::s3 {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;

// A body of `size` bytes no two parts of which are alike, yielded in reads of at most 64 KiB
// (smaller than a part, as a file reader's would be).
struct PatternSource {
  std::size_t size;
  std::size_t offset = 0;

  static char ByteAt(std::size_t i) { return static_cast<char>((i * 2654435761u) >> 13); }

  core::Result<std::size_t> operator()(char* buffer, std::size_t capacity) {
    const std::size_t n = std::min({capacity, size - offset, std::size_t{64 * 1024}});
    for (std::size_t i = 0; i < n; ++i) buffer[i] = ByteAt(offset + i);
    offset += n;
    return n;
  }

  static std::string Whole(std::size_t size) {
    std::string body(size, '\0');
    for (std::size_t i = 0; i < size; ++i) body[i] = ByteAt(i);
    return body;
  }
};

TEST(MultipartUpload, TwelveMibInFiveMibPartsRoundTrips) {
  auto client = testing::SwiftClient(testing::BucketForThisTest());
  ASSERT_NE(client, nullptr);
  const std::string key = "site=fab1/table=event/date=2026-12-01/part-0001.parquet";
  const std::size_t size = 12 * kMiB;

  auto etag = PutObjectFromSource(*client, key, PatternSource{size});
  ASSERT_TRUE(etag.ok()) << etag.error().message;
  EXPECT_TRUE(etag->ends_with("-3")) << *etag;  // three parts: 5 + 5 + 2 MiB

  auto head = client->HeadObject(key);
  ASSERT_TRUE(head.ok()) << head.error().message;
  ASSERT_TRUE(head->has_value());
  EXPECT_EQ((*head)->size, size);
  auto got = client->GetObject(key);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->size(), size);
  EXPECT_TRUE(*got == PatternSource::Whole(size)) << "the content differs";
}

TEST(MultipartUpload, ABodyUnderTheThresholdGoesInOnePut) {
  auto client = testing::SwiftClient(testing::BucketForThisTest());
  ASSERT_NE(client, nullptr);
  auto etag = PutObjectFromSource(*client, "small", PatternSource{1000});
  ASSERT_TRUE(etag.ok()) << etag.error().message;
  EXPECT_EQ(*etag, Md5Hex(PatternSource::Whole(1000)));  // a simple object's ETag
}

TEST(MultipartUpload, APartUnderFiveMibIsTooSmallAndTheUploadIsAborted) {
  const std::string bucket = testing::BucketForThisTest();
  ASSERT_NE(testing::SwiftClient(bucket), nullptr);
  S3ClientOptions options = testing::SwiftOptions(bucket);
  options.part_size = 1 * kMiB;
  options.multipart_threshold = 1 * kMiB;
  auto client = S3Client::Create(options);
  ASSERT_TRUE(client.ok());

  auto etag = PutObjectFromSource(**client, "tiny-parts/object", PatternSource{3 * kMiB});
  ASSERT_FALSE(etag.ok());
  EXPECT_EQ(etag.error().code, "s3_entity_too_small") << etag.error().message;
  EXPECT_NE(etag.error().message.find("EntityTooSmall"), std::string::npos);

  auto pending = (*client)->ListMultipartUploads("tiny-parts/");
  ASSERT_TRUE(pending.ok()) << pending.error().message;
  EXPECT_TRUE(pending->empty()) << "the upload was not aborted";
  auto head = (*client)->HeadObject("tiny-parts/object");
  ASSERT_TRUE(head.ok());
  EXPECT_FALSE(head->has_value());
}

TEST(MultipartUpload, ASourceErrorAbortsTheUpload) {
  auto client = testing::SwiftClient(testing::BucketForThisTest());
  ASSERT_NE(client, nullptr);
  PatternSource pattern{6 * kMiB};
  BodySource failing = [&](char* buffer, std::size_t capacity) -> core::Result<std::size_t> {
    if (pattern.offset >= 5 * kMiB) {
      return core::Error{core::ErrorKind::kInternal, "read_failed", "disk read failed", {}};
    }
    return pattern(buffer, capacity);
  };
  auto etag = PutObjectFromSource(*client, "broken/object", failing);
  ASSERT_FALSE(etag.ok());
  EXPECT_EQ(etag.error().code, "read_failed");
  auto pending = client->ListMultipartUploads("broken/");
  ASSERT_TRUE(pending.ok()) << pending.error().message;
  EXPECT_TRUE(pending->empty()) << "the upload was not aborted";
}

TEST(MultipartUpload, PendingUploadsAreListedUntilAborted) {
  auto client = testing::SwiftClient(testing::BucketForThisTest());
  ASSERT_NE(client, nullptr);
  auto id = client->CreateMultipartUpload("manual/object");
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto pending = client->ListMultipartUploads("manual/");
  ASSERT_TRUE(pending.ok()) << pending.error().message;
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].key, "manual/object");
  EXPECT_EQ((*pending)[0].upload_id, *id);
  ASSERT_TRUE(client->AbortMultipartUpload("manual/object", *id).ok());
  auto after = client->ListMultipartUploads("manual/");
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->empty());
}

}  // namespace
}  // namespace dataplane::s3
