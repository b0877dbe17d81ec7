#pragma once
// gzip for HTTP bodies (RFC 1952 through zlib): whether a request's Accept-Encoding takes it,
// and the compression itself.
//
// AcceptsGzip reads the header as RFC 9110 §12.5.3 says: a comma list of codings with optional
// ";q=" weights; "gzip" (or its alias "x-gzip") or "*" with a weight above 0 accepts it, an
// explicit "gzip;q=0" refuses it whatever "*" says, and a missing header or an unparseable
// weight does not accept it (the identity answer is always acceptable).
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.h"

namespace dataplane::http {

bool AcceptsGzip(std::string_view accept_encoding);

//! The gzip member of `data` at zlib level `level` (1 fastest … 9 smallest). Throws
//! std::runtime_error only if zlib cannot allocate its state.
std::string Gzip(std::string_view data, int level = 1);

//! The data of one gzip member, produced in steps so that no more than `max_bytes` is ever
//! made: kInvalidInput "too_large" past it (a zip bomb stops there), kMalformed "bad_gzip" for
//! anything that is not one whole gzip member (truncated, corrupt, trailing bytes).
core::Result<std::string> Gunzip(std::string_view gzip, std::size_t max_bytes);

}  // namespace dataplane::http
