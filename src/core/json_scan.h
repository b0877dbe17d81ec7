#pragma once
// A forward cursor over untrusted JSON text that checks, in the one pass its caller makes,
// everything ParseJson would refuse (core/json_parse.h): RFC 8259's grammar, UTF-8 inside
// strings (overlong forms, surrogates and values past U+10FFFF refused), escapes (a \u
// surrogate must be half of a pair), the nesting depth (max_depth levels of objects and arrays)
// and numbers within a double's range. It builds nothing: the caller steps through the parts it
// looks at (Peek, Consume, Enter, Leave, String) and skips the others with Value(), which checks
// them too. Views returned point into the text, which must outlive them.
//
// The first problem stops the scan: every later step fails, and status() is the error, with the
// codes of ParseJson: invalid_utf8 (for text that is not UTF-8 anywhere, whatever broke first),
// too_deeply_nested, malformed_json (naming what was expected and the byte offset). A caller that
// reached the end of the document with AtEnd() and an OK status has seen one document ParseJson
// accepts.
#include <cstddef>
#include <string_view>

#include "core/error.h"

namespace dataplane::core {

class JsonScanner {
 public:
  JsonScanner(std::string_view text, std::size_t max_depth);

  std::size_t pos() const { return pos_; }
  //! The text from `begin` to the current position.
  std::string_view Slice(std::size_t begin) const { return text_.substr(begin, pos_ - begin); }

  //! The next character after white space, not consumed; '\0' at the end or after a failure.
  char Peek() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    return failed_ || pos_ >= text_.size() ? '\0' : text_[pos_];
  }
  //! Consumes `c`, after white space, when it is next.
  bool Consume(char c) {
    if (Peek() != c || c == '\0') return false;
    ++pos_;
    return true;
  }
  //! Consumes `open` ('{' or '['), one level deeper; fails past max_depth or when it is not next.
  bool Enter(char open) {
    if (Peek() != open || depth_ >= max_depth_) return FailToEnter(open);
    ++pos_;
    ++depth_;
    return true;
  }
  //! Consumes `close` ('}' or ']'), one level up; false when it is not next.
  bool Leave(char close) {
    if (!Consume(close)) return false;
    --depth_;
    return true;
  }
  //! The string token next, quotes included, checked; "" (and a failure) when there is none.
  std::string_view String();
  //! The value next (any kind), checked throughout, as its text; "" (and a failure) if malformed.
  std::string_view Value();
  //! True when only white space is left (and nothing failed).
  bool AtEnd();
  //! AtEnd(), else a failure "more after the document" (a document must be all of the text).
  bool Finish();

  //! Records `what` as a malformed_json failure at the current position (the first one wins);
  //! for a caller that finds the grammar broken (a ',' or '}' that is not there). Returns false.
  bool Fail(std::string_view what);
  bool failed() const { return failed_; }
  const Status& status() const { return status_; }

 private:
  static bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
  bool FailToEnter(char open);
  bool SkipValue();
  bool SkipContainer(char open, char close);
  bool SkipNumber();
  bool SkipLiteral(std::string_view literal);
  bool SkipEscape(const char*& p);
  bool FailAt(Error error);

  std::string_view text_;
  std::size_t max_depth_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  bool failed_ = false;
  Status status_ = OkStatus();
};

}  // namespace dataplane::core
