#pragma once
// UTF-8 as RFC 3629 defines it: overlong forms, UTF-16 surrogates (U+D800–U+DFFF) and values
// past U+10FFFF are not UTF-8.
#include <cstddef>
#include <string_view>

namespace dataplane::core {

bool IsValidUtf8(std::string_view text);

//! The length (2–4) of the multi-byte UTF-8 sequence that starts at `p` (a byte >= 0x80) and
//! ends before `end`; 0 when it is not one.
std::size_t Utf8SequenceLength(const unsigned char* p, const unsigned char* end);

}  // namespace dataplane::core
