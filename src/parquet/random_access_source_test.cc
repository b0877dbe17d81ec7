#include "parquet/random_access_source.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace dataplane::parquet {
namespace {

TEST(StringSource, ReadsRangesAndRefusesPastTheEnd) {
  StringSource source("0123456789");
  EXPECT_EQ(*source.Size(), 10u);
  std::string out = "old";
  ASSERT_TRUE(source.ReadAt(2, 3, out).ok());
  EXPECT_EQ(out, "234");
  ASSERT_TRUE(source.ReadAt(10, 0, out).ok());
  EXPECT_EQ(out, "");
  EXPECT_FALSE(source.ReadAt(8, 3, out).ok());
  EXPECT_FALSE(source.ReadAt(11, 0, out).ok());
  core::Status huge = source.ReadAt(~std::uint64_t{0}, 2, out);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().kind, core::ErrorKind::kMalformed);
}

TEST(FileSource, ReadsAFile) {
  const std::string path = ::testing::TempDir() + "/file_source_test_" + std::to_string(::getpid());
  {
    std::ofstream file(path, std::ios::binary);
    file << "hello parquet";
  }
  core::Result<std::unique_ptr<FileSource>> source = FileSource::Open(path);
  ASSERT_TRUE(source.ok()) << source.error().message;
  EXPECT_EQ(*(*source)->Size(), 13u);
  std::string out;
  ASSERT_TRUE((*source)->ReadAt(6, 7, out).ok());
  EXPECT_EQ(out, "parquet");
  EXPECT_FALSE((*source)->ReadAt(6, 8, out).ok());
  std::remove(path.c_str());
}

TEST(FileSource, MissingFileIsNotFound) {
  core::Result<std::unique_ptr<FileSource>> source = FileSource::Open("/nonexistent/x.parquet");
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().kind, core::ErrorKind::kNotFound);
}

}  // namespace
}  // namespace dataplane::parquet
