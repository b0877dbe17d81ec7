#include "s3/digest.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace dataplane::s3 {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

std::string Digest(const EVP_MD* md, std::string_view data) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out, &size) != 1) {
    throw std::runtime_error("OpenSSL digest failed");
  }
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data) { return Hex(Digest(EVP_sha256(), data)); }

std::string Md5Hex(std::string_view data) { return Hex(Digest(EVP_md5(), data)); }

std::string Md5Base64(std::string_view data) {
  const std::string md5 = Digest(EVP_md5(), data);
  unsigned char out[32];
  const int size = EVP_EncodeBlock(out, reinterpret_cast<const unsigned char*>(md5.data()),
                                   static_cast<int>(md5.size()));
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(size));
}

}  // namespace dataplane::s3
