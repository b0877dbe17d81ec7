#pragma once
// The S3 the tests of a binary talk to (tests/s3, the archiver's in tests/integration): one Swift
// node (scripts/swift) started in a fresh temporary directory by the first SwiftUrl() call and
// stopped, its directory removed, after the last test (a GoogleTest Environment registered by
// swift_node.cc), so a binary whose selected tests use no S3 starts none. A node that fails to
// start fails the run with the script's diagnostics (logs under the directory, which is then kept).
#include <memory>
#include <string>

#include "s3/client_options.h"
#include "s3/s3_client.h"

namespace dataplane::s3::testing {

//! The node's S3 URL, "http://127.0.0.1:PORT".
const std::string& SwiftUrl();

//! Options for `bucket` on the node with its working key (test:tester / testing), short retry
//! delays, 5 MiB parts.
S3ClientOptions SwiftOptions(const std::string& bucket);

//! A client for `bucket`, created on the node if missing. Fails the test when it cannot.
std::unique_ptr<S3Client> SwiftClient(const std::string& bucket);

//! A bucket name of the current test's name, DNS-compliant ("multipartupload-roundtrip").
std::string BucketForThisTest();

}  // namespace dataplane::s3::testing
