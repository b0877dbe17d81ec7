#pragma once
// Reads the rows of `COPY … TO STDOUT (FORMAT binary)` as libpq hands them out
// (Connection::TryCopyOut: one CopyData message per row; the first also carries the stream's
// header, the last is the trailer). Each row's fields are views into the message: valid until
// the next message. Malformed input (a bad signature, a field past the end of its message, a
// field count other than the expected one) is a kInternal Error naming what is wrong, never a
// read past the message. Not thread-safe.
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace dataplane::pg {

class BinaryCopyReader {
 public:
  //! Rows must have `fields` fields each.
  explicit BinaryCopyReader(int fields) : fields_(fields) {}

  //! Decodes one message into `row` (nullopt for a NULL field); false for the trailer.
  core::Result<bool> Next(std::string_view message,
                          std::vector<std::optional<std::string_view>>& row);

 private:
  core::Status SkipHeader(std::string_view& message);

  int fields_;
  bool header_seen_ = false;
};

}  // namespace dataplane::pg
