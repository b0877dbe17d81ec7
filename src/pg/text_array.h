#pragma once
// A PostgreSQL array literal in text form ("{…}", array_in's input), built element by element,
// for sending many rows' column values as one parameter (`unnest($1::uuid[], $2::text[], …)`).
// Every element is double-quoted with `"` and `\` escaped, so any text survives as itself
// (braces, commas, spaces, the word NULL); a null element is the unquoted NULL.
#include <optional>
#include <string>
#include <string_view>

namespace dataplane::pg {

class TextArray {
 public:
  TextArray() : text_("{") {}

  void Add(std::string_view value);
  void Add(const std::string& value) { Add(std::string_view(value)); }
  void Add(const char* value) { Add(std::string_view(value)); }
  void AddNull();
  void Add(const std::optional<std::string>& value) {
    value ? Add(std::string_view(*value)) : AddNull();
  }
  //! A float8 element written with the shortest text that reads back as the same double.
  void Add(double value);
  void Add(const std::optional<double>& value) { value ? Add(*value) : AddNull(); }

  //! The literal; the builder is left empty ("{}" again).
  std::string Take();

 private:
  void Separate();

  std::string text_;
  bool empty_ = true;
};

}  // namespace dataplane::pg
