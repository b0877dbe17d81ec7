// The local-folder store and the S3 ETag rule, on real files in a temporary directory.
#include "archiver/local_object_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "archiver/digest_stream.h"
#include "archiver/s3_object_store.h"

namespace dataplane::archiver {
namespace {

class LocalObjectStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/dataplane-store-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    root_ = pattern;
    auto store = LocalObjectStore::Open(root_ + "/archive");
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  StagedFileInfo Stage(const std::string& key, const std::string& bytes) {
    auto path = store_->StagingPath(key);
    EXPECT_TRUE(path) << path.error().message;
    auto staged = StagedFile::Create(*path);
    EXPECT_TRUE(staged) << staged.error().message;
    EXPECT_TRUE((*staged)->Write(bytes));
    auto info = (*staged)->Finish();
    EXPECT_TRUE(info) << info.error().message;
    return *info;
  }

  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream all;
    all << in.rdbuf();
    return all.str();
  }

  std::string root_;
  std::unique_ptr<LocalObjectStore> store_;
};

TEST_F(LocalObjectStoreTest, PutsVerifiesListsFetchesAndDeletes) {
  const std::string key = "site=a/table=job/date=2026-11-29/part-0000.parquet";
  const StagedFileInfo file = Stage(key, "PAR1 some bytes PAR1");
  EXPECT_EQ(file.bytes, 20u);
  ASSERT_TRUE(store_->Put(key, file));
  EXPECT_FALSE(std::filesystem::exists(file.path)) << "the staged file is renamed into place";
  EXPECT_TRUE(store_->Verify(key, file));
  auto listed = store_->ListFolder("site=a/table=job/date=2026-11-29/");
  ASSERT_TRUE(listed);
  EXPECT_EQ(*listed, std::vector<std::string>{key});
  ASSERT_TRUE(store_->Fetch(key, root_ + "/fetched"));
  EXPECT_EQ(Read(root_ + "/fetched"), "PAR1 some bytes PAR1");
  ASSERT_TRUE(store_->Delete(key));
  EXPECT_TRUE(store_->Delete(key)) << "deleting what is gone succeeds";
  EXPECT_TRUE(store_->ListFolder("site=a/table=job/date=2026-11-29/")->empty());
  EXPECT_TRUE(store_->ListFolder("site=none/")->empty());
}

TEST_F(LocalObjectStoreTest, VerifyRefusesAnObjectThatDiffersFromTheStagedFile) {
  const std::string key = "site=a/table=event/date=2026-11-29/part-0000.parquet";
  const StagedFileInfo file = Stage(key, "original");
  ASSERT_TRUE(store_->Put(key, file));
  std::ofstream(root_ + "/archive/" + key, std::ios::binary | std::ios::trunc) << "tampered";
  auto verified = store_->Verify(key, file);
  ASSERT_FALSE(verified);
  EXPECT_NE(verified.error().message.find(key), std::string::npos) << verified.error().message;
}

TEST_F(LocalObjectStoreTest, ListsAStagingFileLeftByACrashSoTheSweepRemovesIt) {
  const std::string key = "site=a/table=job/date=2026-11-29/part-0001.parquet";
  const StagedFileInfo file = Stage(key, "half");
  auto listed = store_->ListFolder("site=a/table=job/date=2026-11-29/");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_NE(listed->front(), key);
  ASSERT_TRUE(store_->Delete(listed->front()));
  EXPECT_FALSE(std::filesystem::exists(file.path));
}

TEST_F(LocalObjectStoreTest, ExpectedEtagIsTheMd5OrTheMultipartDigest) {
  const std::string path = root_ + "/body";
  std::ofstream(path, std::ios::binary) << std::string(10, 'x');
  DigestStream md5 = DigestStream::Md5();
  md5.Update(std::string(10, 'x'));
  EXPECT_EQ(*ExpectedEtag(path, 10, 100, 100), md5.FinishHex());
  // Parts of 4 bytes: "xxxx", "xxxx", "xx".
  std::string digests;
  for (const std::string piece : {"xxxx", "xxxx", "xx"}) {
    DigestStream part = DigestStream::Md5();
    part.Update(piece);
    digests += part.FinishRaw();
  }
  DigestStream of_parts = DigestStream::Md5();
  of_parts.Update(digests);
  EXPECT_EQ(*ExpectedEtag(path, 10, 4, 4), of_parts.FinishHex() + "-3");
}

}  // namespace
}  // namespace dataplane::archiver
