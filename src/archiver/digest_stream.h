#pragma once
// Incremental message digests (OpenSSL EVP) for bytes that pass through in pieces: the SHA-256
// the manifest records, the MD5s an S3 ETag is made of. Not thread-safe.
#include <memory>
#include <string>
#include <string_view>

namespace dataplane::archiver {

class DigestStream {
 public:
  static DigestStream Sha256();
  static DigestStream Md5();
  ~DigestStream();
  DigestStream(DigestStream&&) noexcept;
  DigestStream& operator=(DigestStream&&) noexcept;

  void Update(std::string_view bytes);
  //! The digest of everything so far, as lower-case hex; the stream starts over.
  std::string FinishHex();
  //! The same as raw bytes.
  std::string FinishRaw();

 private:
  struct Context;
  explicit DigestStream(std::unique_ptr<Context> context);
  std::unique_ptr<Context> context_;
};

//! Lower-case hex of raw bytes.
std::string HexOf(std::string_view bytes);

}  // namespace dataplane::archiver
