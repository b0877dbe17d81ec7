#pragma once
// Rows in PostgreSQL's binary COPY format, for `COPY … FROM STDIN WITH (FORMAT binary)`: the
// header, then per row its field count and its fields (pg/binary_values.h), then the trailer.
// Fields must come in the COPY statement's column order with the columns' types, `fields` of
// them per row; the server checks each, so a mismatch fails the COPY as a whole.
#include <string>

#include "pg/binary_values.h"

namespace dataplane::pg {

class BinaryCopy : public BinaryValues {
 public:
  BinaryCopy();  // starts the stream with the header

  void BeginRow(int fields) { AppendInt16(data_, static_cast<std::int16_t>(fields)); }

  //! The stream with its trailer; the builder is left empty, header included, for the next one.
  std::string Take();
};

}  // namespace dataplane::pg
