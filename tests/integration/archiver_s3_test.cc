// The archiver into a real, signature-checking S3 (one OpenStack Swift node with s3api,
// tests/s3/swift_node.h): Hive keys (with '=', percent-encoded in the signed URI) under a
// prefix, verified by HeadObject, fetched back byte for byte; and S3 failures — nothing
// listening, an S3 that answers 500 to everything — fail the run with the rows still hot, after
// which a run against a working S3 archives them exactly once.
#include <filesystem>

#include <gtest/gtest.h>

#include "archive_world.h"
#include "archiver/s3_object_store.h"
#include "http/testing/test_server.h"
#include "swift_node.h"

namespace dataplane::testing {
namespace {

class ArchiverS3 : public ArchiveWorld {
 protected:
  void SetUp() override {
    ArchiveWorld::SetUp();
    staging_ = dir_ + "/staging";
    std::filesystem::create_directories(staging_);
    settings_.export_settings.prefix = "archive/";
  }

  std::unique_ptr<archiver::S3ObjectStore> StoreFor(s3::S3ClientOptions options) {
    auto client = s3::S3Client::Create(std::move(options));
    EXPECT_TRUE(client) << client.error().message;
    return std::make_unique<archiver::S3ObjectStore>(std::move(*client), staging_);
  }

  std::unique_ptr<archiver::S3ObjectStore> SwiftStore() {
    const std::string bucket = s3::testing::BucketForThisTest();
    EXPECT_NE(s3::testing::SwiftClient(bucket), nullptr);
    return StoreFor(s3::testing::SwiftOptions(bucket));
  }

  core::Result<archiver::RunSummary> ArchiveTo(archiver::ObjectStore& store) {
    auto conn = Open();
    return archiver::RunArchiver(*conn, store, settings_, core::NowMicros());
  }

  //! Fetches every manifest object from `store` into the local archive folder, so that
  //! ExpectExactlyOnce (DuckDB, checksums) checks what the bucket holds.
  void FetchManifestObjects(archiver::ObjectStore& store) {
    auto keys = db_->Exec("SELECT object_key FROM archive_manifest");
    for (int r = 0; r < keys.Rows(); ++r) {
      const std::string key(keys.Text(r, 0));
      const std::string path = ArchiveDir() + "/" + key;
      std::filesystem::create_directories(std::filesystem::path(path).parent_path());
      auto fetched = store.Fetch(key, path);
      EXPECT_TRUE(fetched) << key << ": " << fetched.error().message;
    }
  }

  bool StagingIsEmpty() const { return std::filesystem::is_empty(staging_); }

  RowIds PopulateTwoSites() {
    for (int i = 0; i < 4; ++i) PostFinishedJob(NewUuid(), NewUuid(), i % 2 ? "fab1" : "fab-2");
    return HotRows();
  }

  std::string staging_;
};

TEST_F(ArchiverS3, ArchivesIntoABucketThatChecksSignaturesAndVerifiesEveryObject) {
  const RowIds original = PopulateTwoSites();
  auto store = SwiftStore();
  auto summary = ArchiveTo(*store);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->rows, 16u + 4u + 4u);
  EXPECT_TRUE(StagingIsEmpty());
  EXPECT_EQ(Count("SELECT count(*) FROM archive_manifest WHERE store = '" + store->Location() +
                  "' AND object_key LIKE 'archive/site=%/table=%/date=%/part-0000.parquet'"),
            6);
  auto listed =
      store->ListFolder("archive/site=fab1/table=event/date=" + OldAt().substr(0, 10) + "/");
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->size(), 1u);
  FetchManifestObjects(*store);
  ExpectExactlyOnce(original);
}

TEST_F(ArchiverS3, AnUnreachableS3FailsTheRunAndTheNextRunArchivesEverything) {
  const RowIds original = PopulateTwoSites();
  s3::S3ClientOptions dead = s3::testing::SwiftOptions("unreachable");
  dead.endpoint = "http://127.0.0.1:" + std::to_string(http::testing::UnusedLocalPort());
  auto down = StoreFor(dead);
  auto failed = ArchiveTo(*down);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind, core::ErrorKind::kUnavailable) << failed.error().message;
  EXPECT_EQ(HotRows(), original);
  EXPECT_EQ(Count("SELECT count(*) FROM archive_manifest"), 0);
  EXPECT_TRUE(StagingIsEmpty());

  auto store = SwiftStore();
  ASSERT_TRUE(ArchiveTo(*store));
  FetchManifestObjects(*store);
  ExpectExactlyOnce(original);
}

TEST_F(ArchiverS3, AnS3AnsweringServerErrorsFailsTheRunAfterItsRetries) {
  const RowIds original = PopulateTwoSites();
  http::testing::TestServer failing;
  failing.SetHandler([](const http::HttpRequest& request) {
    http::HttpResponse response{http::status::internal_server_error, request.version()};
    response.keep_alive(request.keep_alive());
    response.set(http::field::content_type, "application/xml");
    response.body() = "<Error><Code>InternalError</Code><Message>down</Message></Error>";
    response.prepare_payload();
    return response;
  });
  s3::S3ClientOptions options = s3::testing::SwiftOptions("failing");
  options.endpoint = failing.url();
  auto broken = StoreFor(options);
  auto failed = ArchiveTo(*broken);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().kind, core::ErrorKind::kUnavailable) << failed.error().message;
  EXPECT_GT(failing.requests(), 1) << "retried";
  EXPECT_EQ(HotRows(), original);
  EXPECT_TRUE(StagingIsEmpty());

  auto store = SwiftStore();
  ASSERT_TRUE(ArchiveTo(*store));
  FetchManifestObjects(*store);
  ExpectExactlyOnce(original);
}

}  // namespace
}  // namespace dataplane::testing
