#pragma once
// The two body digests an S3 request carries: x-amz-content-sha256 (hex SHA-256, part of the
// signature) and Content-MD5 (base64 MD5, checked by S3 against what it received: BadDigest).
// Pure functions over OpenSSL's EVP; safe from any thread. An OpenSSL failure (out of memory)
// throws std::runtime_error: it is not an expected failure.
#include <string>
#include <string_view>

namespace dataplane::s3 {

//! The SHA-256 of `data`, 64 lower-case hex digits.
std::string Sha256Hex(std::string_view data);

//! The MD5 of `data`, base64 (24 characters), as Content-MD5 wants it.
std::string Md5Base64(std::string_view data);

//! The MD5 of `data`, 32 lower-case hex digits: a simple object's ETag.
std::string Md5Hex(std::string_view data);

}  // namespace dataplane::s3
