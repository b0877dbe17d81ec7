#pragma once
// Reading the few XML documents S3 answers with, and writing the one the client sends
// (CompleteMultipartUpload). Entities (&amp; &quot; …) are decoded; listings asked with
// encoding-type=url have their keys percent-decoded; ETags lose their quotes.
// A document that is not well-formed XML, or lacks an element the answer cannot do without, is
// an Error of kind kBadGateway (S3 sent something we cannot read) whose message names the
// answer and the missing element. Pure functions; safe from any thread.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "s3/object_types.h"

namespace dataplane::s3 {

// The <Error> document of a refused request.
struct ErrorBody {
  std::string code;  // "NoSuchBucket", "SignatureDoesNotMatch", …
  std::string message;
  std::string request_id;
};

//! The error in `xml` when it is an <Error> document, else nullopt (empty, not XML, other root).
std::optional<ErrorBody> ParseErrorBody(std::string_view xml);

//! A <ListBucketResult> page of ListObjectsV2.
core::Result<ListPage> ParseListObjectsV2(std::string_view xml);

//! The UploadId of an <InitiateMultipartUploadResult>.
core::Result<std::string> ParseInitiateMultipartUpload(std::string_view xml);

//! The ETag of a <CompleteMultipartUploadResult>.
core::Result<std::string> ParseCompleteMultipartUpload(std::string_view xml);

//! The uploads of a <ListMultipartUploadsResult>.
core::Result<std::vector<PendingUpload>> ParseListMultipartUploads(std::string_view xml);

//! The <CompleteMultipartUpload> request body listing `parts` in the given order.
std::string CompleteMultipartUploadBody(const std::vector<CompletedPart>& parts);

//! `etag` without surrounding double quotes.
std::string UnquoteEtag(std::string_view etag);

}  // namespace dataplane::s3
