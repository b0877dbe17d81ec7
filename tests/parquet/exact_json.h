#pragma once
// ParseExactJson: parses a JSON document like boost::json::parse, except that every number
// written with a fraction or an exponent becomes the double nearest to its text (std::from_chars,
// correctly rounded). Boost.JSON 1.81's own parser may be off by an ulp, and the tests compare
// doubles bit for bit. Integers stay int64 (or uint64 past INT64_MAX). A malformed document is
// an Error (kMalformed) naming the offset; the tests treat it as a reader failure.
#include <string_view>

#include <boost/json/value.hpp>

#include "core/error.h"

namespace dataplane::parquet::readers {

core::Result<boost::json::value> ParseExactJson(std::string_view text);

}  // namespace dataplane::parquet::readers
