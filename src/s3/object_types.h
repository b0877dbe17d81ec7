#pragma once
// The values the S3 client hands back: what it knows of an object, a listing page, the parts
// of a multipart upload. Plain values, no behaviour.
#include <cstdint>
#include <string>
#include <vector>

namespace dataplane::s3 {

// An object as HeadObject sees it.
struct ObjectInfo {
  std::uint64_t size = 0;
  std::string etag;  // without the quotes; the MD5 hex of a simple object, "<md5>-<n>" multipart
};

// An object as a listing sees it.
struct ListedObject {
  std::string key;
  std::uint64_t size = 0;
  std::string etag;           // without the quotes
  std::string last_modified;  // ISO 8601, as S3 wrote it
};

// One page of ListObjectsV2.
struct ListPage {
  std::vector<ListedObject> objects;
  bool truncated = false;
  std::string next_continuation_token;  // set when truncated
};

// A part S3 accepted, for CompleteMultipartUpload.
struct CompletedPart {
  int number = 0;    // 1 to 10000
  std::string etag;  // as UploadPart returned it
};

// A multipart upload started and neither completed nor aborted.
struct PendingUpload {
  std::string key;
  std::string upload_id;
};

}  // namespace dataplane::s3
