#include "s3/xml_answers.h"

#include <gtest/gtest.h>

namespace dataplane::s3 {
namespace {

constexpr char kListPage[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>archive</Name><Prefix>site=fab1/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated><NextContinuationToken>tok+/=</NextContinuationToken>
  <Contents><Key>site=fab1/a&amp;b.parquet</Key><LastModified>2026-12-01T00:00:00.000Z</LastModified>
    <ETag>&quot;5d41402abc4b2a76b9719d911017c592&quot;</ETag><Size>5</Size></Contents>
  <Contents><Key>site=fab1/c.parquet</Key><ETag>"abc-2"</ETag><Size>12582912</Size></Contents>
</ListBucketResult>)";

TEST(ParseListObjectsV2Test, ReadsObjectsAndContinuation) {
  auto page = ParseListObjectsV2(kListPage);
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_TRUE(page->truncated);
  EXPECT_EQ(page->next_continuation_token, "tok+/=");
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "site=fab1/a&b.parquet");
  EXPECT_EQ(page->objects[0].size, 5u);
  EXPECT_EQ(page->objects[0].etag, "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(page->objects[0].last_modified, "2026-12-01T00:00:00.000Z");
  EXPECT_EQ(page->objects[1].size, 12582912u);
  EXPECT_EQ(page->objects[1].etag, "abc-2");
}

TEST(ParseListObjectsV2Test, DecodesUrlEncodedKeys) {
  auto page = ParseListObjectsV2(
      "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated>"
      "<Contents><Key>site%3Dfab1/a+b%2B.parquet</Key><Size>1</Size></Contents>"
      "</ListBucketResult>");
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_FALSE(page->truncated);
  ASSERT_EQ(page->objects.size(), 1u);
  EXPECT_EQ(page->objects[0].key, "site=fab1/a b+.parquet");
}

TEST(ParseListObjectsV2Test, EmptyListingHasNoObjects) {
  auto page = ParseListObjectsV2(
      "<ListBucketResult><IsTruncated>false</IsTruncated>"
      "<KeyCount>0</KeyCount></ListBucketResult>");
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->objects.empty());
}

TEST(ParseListObjectsV2Test, RefusesWhatItCannotRead) {
  for (const char* bad : {"", "<ListBucketResult><Contents>", "<Other/>",
                          "<ListBucketResult><Contents><Key>k</Key><Size>x</Size></Contents>"
                          "</ListBucketResult>",
                          "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"}) {
    auto page = ParseListObjectsV2(bad);
    ASSERT_FALSE(page.ok()) << bad;
    EXPECT_EQ(page.error().kind, core::ErrorKind::kBadGateway);
    EXPECT_NE(page.error().message.find("ListObjectsV2"), std::string::npos)
        << page.error().message;
  }
}

TEST(ParseErrorBodyTest, ReadsCodeMessageAndRequestId) {
  auto error = ParseErrorBody(
      "<?xml version='1.0' encoding='UTF-8'?>\n<Error><Code>SignatureDoesNotMatch</Code>"
      "<Message>The request signature we calculated does not match</Message>"
      "<RequestId>tx123</RequestId><StringToSign>AWS4</StringToSign></Error>");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "SignatureDoesNotMatch");
  EXPECT_EQ(error->message, "The request signature we calculated does not match");
  EXPECT_EQ(error->request_id, "tx123");
}

TEST(ParseErrorBodyTest, NoErrorDocumentIsNullopt) {
  EXPECT_FALSE(ParseErrorBody("").has_value());
  EXPECT_FALSE(ParseErrorBody("<html>Bad Gateway</html>").has_value());
  EXPECT_FALSE(ParseErrorBody("not xml").has_value());
}

TEST(MultipartAnswersTest, ReadsUploadIdAndCompletedEtag) {
  auto id = ParseInitiateMultipartUpload(
      "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
      "<UploadId>ZTM2NzQ</UploadId></InitiateMultipartUploadResult>");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "ZTM2NzQ");
  auto etag = ParseCompleteMultipartUpload(
      "<CompleteMultipartUploadResult><Key>k</Key><ETag>\"d41d-3\"</ETag>"
      "</CompleteMultipartUploadResult>");
  ASSERT_TRUE(etag.ok());
  EXPECT_EQ(*etag, "d41d-3");
  EXPECT_FALSE(ParseInitiateMultipartUpload("<InitiateMultipartUploadResult/>").ok());
}

TEST(MultipartAnswersTest, ReadsPendingUploads) {
  auto uploads = ParseListMultipartUploads(
      "<ListMultipartUploadsResult><Upload><Key>a/b</Key><UploadId>u1</UploadId></Upload>"
      "<Upload><Key>c</Key><UploadId>u2</UploadId></Upload></ListMultipartUploadsResult>");
  ASSERT_TRUE(uploads.ok());
  ASSERT_EQ(uploads->size(), 2u);
  EXPECT_EQ((*uploads)[0].key, "a/b");
  EXPECT_EQ((*uploads)[1].upload_id, "u2");
}

TEST(CompleteMultipartUploadBodyTest, ListsPartsInOrderWithQuotedEtags) {
  EXPECT_EQ(CompleteMultipartUploadBody({{1, "\"aaa\""}, {2, "bbb"}}),
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"aaa\"</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>\"bbb\"</ETag></Part>"
            "</CompleteMultipartUpload>");
}

}  // namespace
}  // namespace dataplane::s3
