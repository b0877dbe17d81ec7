#pragma once
// What an S3Client needs to reach one bucket: where, as whom, how patiently.
//
// The options are a plain value, validated once by S3Client::Create (an endpoint it cannot use,
// an empty bucket or key, a threshold above the part size are refused there as kInvalidInput).
#include <chrono>
#include <cstddef>
#include <string>

#include "s3/retry_policy.h"

namespace dataplane::s3 {

enum class AddressingStyle {
  kPath,           // http://host:port/bucket/key: works with any host name, the default
  kVirtualHosted,  // http://bucket.host:port/key: AWS's preferred form, needs DNS for the bucket
};

struct S3ClientOptions {
  std::string endpoint;  // "http://127.0.0.1:8080" or "https://s3.eu-west-1.amazonaws.com"
  std::string region = "us-east-1";
  std::string bucket;
  std::string access_key;
  std::string secret_key;
  AddressingStyle addressing = AddressingStyle::kPath;
  std::chrono::milliseconds connect_timeout{5000};
  // Per attempt, the whole transfer included: leave room for one part at a slow link's speed.
  std::chrono::milliseconds request_timeout{120000};
  RetryPolicy retry;
  // PutObjectFromSource sends bodies larger than this as a multipart upload, in parts of
  // part_size bytes (S3 requires at least 5 MiB for every part but the last).
  std::size_t multipart_threshold = 8 * 1024 * 1024;
  std::size_t part_size = 8 * 1024 * 1024;
};

}  // namespace dataplane::s3
