#include "pg/text_array.h"

#include <charconv>

namespace dataplane::pg {

void TextArray::Separate() {
  if (!empty_) text_.push_back(',');
  empty_ = false;
}

void TextArray::Add(std::string_view value) {
  Separate();
  text_.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') text_.push_back('\\');
    text_.push_back(c);
  }
  text_.push_back('"');
}

void TextArray::AddNull() {
  Separate();
  text_ += "NULL";
}

void TextArray::Add(double value) {
  Separate();
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;  // 32 characters hold any double's shortest form
  text_.append(buf, end);
}

std::string TextArray::Take() {
  text_.push_back('}');
  std::string literal = std::move(text_);
  text_ = "{";
  empty_ = true;
  return literal;
}

}  // namespace dataplane::pg
