#include "swift_node.h"

#include <sys/wait.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include <gtest/gtest.h>

namespace dataplane::s3::testing {
namespace {

const std::string kScript = std::string(DATAPLANE_SOURCE_DIR) + "/scripts/swift";

// Runs `command`; its stdout, trailing newline removed, or nullopt when it failed.
std::optional<std::string> Run(const std::string& command) {
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string out;
  std::array<char, 256> chunk;
  while (std::fgets(chunk.data(), chunk.size(), pipe) != nullptr) out += chunk.data();
  const int status = pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// Started by the first SwiftUrl() call, stopped after the last test.
class SwiftNode : public ::testing::Environment {
 public:
  void TearDown() override {
    if (dir_.empty()) return;
    const bool stopped = Run(kScript + " stop " + dir_).has_value();
    EXPECT_TRUE(stopped) << "scripts/swift stop " << dir_ << " failed";
    if (stopped && !url_.empty()) std::filesystem::remove_all(dir_);
  }

  static const std::string& url() {
    if (url_.empty() && dir_.empty()) Start();
    return url_;
  }

 private:
  static void Start() {
    char pattern[] = "/tmp/dataplane-s3-XXXXXX";
    if (mkdtemp(pattern) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
      return;
    }
    dir_ = pattern;
    auto url = Run(kScript + " start " + dir_);
    if (!url) {
      ADD_FAILURE() << "scripts/swift start " << dir_
                    << " failed (its diagnostics are above; logs in " << dir_ << "/log)";
      return;
    }
    url_ = *url;
  }

  static inline std::string dir_;
  static inline std::string url_;
};

// GoogleTest owns the environment; registered before main runs.
[[maybe_unused]] ::testing::Environment* const kNode =
    ::testing::AddGlobalTestEnvironment(new SwiftNode);

}  // namespace

const std::string& SwiftUrl() { return SwiftNode::url(); }

S3ClientOptions SwiftOptions(const std::string& bucket) {
  S3ClientOptions options;
  options.endpoint = SwiftUrl();
  options.region = "us-east-1";
  options.bucket = bucket;
  options.access_key = "test:tester";
  options.secret_key = "testing";
  options.connect_timeout = std::chrono::milliseconds(2000);
  options.request_timeout = std::chrono::milliseconds(30000);
  options.retry.initial_backoff = std::chrono::milliseconds(10);
  options.retry.max_backoff = std::chrono::milliseconds(50);
  options.multipart_threshold = 5 * 1024 * 1024;
  options.part_size = 5 * 1024 * 1024;
  return options;
}

std::unique_ptr<S3Client> SwiftClient(const std::string& bucket) {
  auto client = S3Client::Create(SwiftOptions(bucket));
  EXPECT_TRUE(client.ok()) << client.error().message;
  if (!client.ok()) return nullptr;
  const core::Status created = (*client)->CreateBucket();
  EXPECT_TRUE(created.ok()) << created.error().message;
  return std::move(*client);
}

std::string BucketForThisTest() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "-" + info->name();
  std::string bucket;
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      bucket += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!bucket.empty() && bucket.back() != '-') {
      bucket += '-';
    }
  }
  bucket = bucket.substr(0, 63);
  while (!bucket.empty() && bucket.back() == '-') bucket.pop_back();
  return bucket;
}

}  // namespace dataplane::s3::testing
