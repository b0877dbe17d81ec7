#include "archiver/digest_stream.h"

#include <openssl/evp.h>

namespace dataplane::archiver {

struct DigestStream::Context {
  const EVP_MD* md;
  EVP_MD_CTX* ctx;
  explicit Context(const EVP_MD* digest) : md(digest), ctx(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(ctx, md, nullptr);
  }
  ~Context() { EVP_MD_CTX_free(ctx); }
};

DigestStream::DigestStream(std::unique_ptr<Context> context) : context_(std::move(context)) {}
DigestStream::~DigestStream() = default;
DigestStream::DigestStream(DigestStream&&) noexcept = default;
DigestStream& DigestStream::operator=(DigestStream&&) noexcept = default;

DigestStream DigestStream::Sha256() {
  return DigestStream(std::make_unique<Context>(EVP_sha256()));
}
DigestStream DigestStream::Md5() { return DigestStream(std::make_unique<Context>(EVP_md5())); }

void DigestStream::Update(std::string_view bytes) {
  EVP_DigestUpdate(context_->ctx, bytes.data(), bytes.size());
}

std::string DigestStream::FinishRaw() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(context_->ctx, digest, &length);
  EVP_DigestInit_ex(context_->ctx, context_->md, nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string DigestStream::FinishHex() { return HexOf(FinishRaw()); }

std::string HexOf(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return hex;
}

}  // namespace dataplane::archiver
