#include "http/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

#include "core/text.h"

namespace dataplane::http {
namespace {

// The weight of one "coding;q=…" element: 1 without one, -1 when it cannot be read.
double WeightOf(std::string_view params) {
  double weight = 1;
  while (!params.empty()) {
    const std::size_t semi = params.find(';');
    const std::string_view param = core::TrimBlanks(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (param.size() < 2 || std::tolower(static_cast<unsigned char>(param[0])) != 'q' ||
        core::TrimBlanks(param.substr(1)).empty() ||
        core::TrimBlanks(param.substr(1)).front() != '=') {
      continue;  // another parameter: not ours to judge
    }
    const std::string_view value = core::TrimBlanks(core::TrimBlanks(param.substr(1)).substr(1));
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), weight);
    if (ec != std::errc() || end != value.data() + value.size() || weight < 0 || weight > 1) {
      return -1;
    }
  }
  return weight;
}

}  // namespace

bool AcceptsGzip(std::string_view header) {
  double gzip = -1, any = -1;  // -1: not named
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    const std::string_view element = core::TrimBlanks(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const std::size_t semi = element.find(';');
    const std::string_view coding = core::TrimBlanks(element.substr(0, semi));
    const double weight = semi == std::string_view::npos ? 1 : WeightOf(element.substr(semi + 1));
    if (core::EqualsIgnoringAsciiCase(coding, "gzip") ||
        core::EqualsIgnoringAsciiCase(coding, "x-gzip")) {
      gzip = std::max(gzip, weight);
    } else if (coding == "*") {
      any = std::max(any, weight);
    }
  }
  if (gzip >= 0) return gzip > 0;
  return any > 0;
}

std::string Gzip(std::string_view data, int level) {
  if (data.size() > 0xffffffffu) throw std::runtime_error("zlib: body over 4 GiB");
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer around the deflate stream.
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("zlib: cannot initialize deflate");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);  // deflateBound room: one call finishes
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
  return out;
}

core::Result<std::string> Gunzip(std::string_view gzip, std::size_t max_bytes) {
  if (gzip.size() > 0xffffffffu) return core::Error::Invalid("too_large", "", "body over 4 GiB");
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK)
    throw std::runtime_error("zlib: cannot initialize inflate");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gzip.data()));
  z.avail_in = static_cast<uInt>(gzip.size());
  std::string out;
  char chunk[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    const std::size_t made = sizeof chunk - z.avail_out;
    if (out.size() + made > max_bytes) {
      inflateEnd(&z);
      return core::Error::Invalid("too_large", "",
                                  "decompressed body over " + std::to_string(max_bytes) + " bytes");
    }
    out.append(chunk, made);
    if (rc == Z_BUF_ERROR && z.avail_in > 0) rc = Z_OK;  // output was full: go on
  }
  const bool whole = rc == Z_STREAM_END && z.avail_in == 0;
  inflateEnd(&z);
  if (!whole) return core::Error::Malformed("bad_gzip", "the body is not one whole gzip member");
  return out;
}

}  // namespace dataplane::http
