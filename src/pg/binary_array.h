#pragma once
// A one-dimensional PostgreSQL array in binary format, built element by element (the value
// methods of pg/binary_values.h, one element each), for sending many rows' column values as one
// binary parameter of `unnest($1::uuid[], $2::text[], …)` (pg::PipelinedStatement with
// ParamFormat::kBinary). The array names its element type, and the server refuses an array of
// another element type than the statement's, so each column's builder must be made for the
// type its methods write.
#include <cstdint>
#include <string>

#include "pg/binary_values.h"

namespace dataplane::pg {

//! Element types by their PostgreSQL type OIDs (pg_type.dat).
enum class ElementType : std::uint32_t {
  kInt4 = 23,
  kText = 25,
  kFloat8 = 701,
  kTimestampTz = 1184,
  kUuid = 2950,
  kJsonb = 3802,
};

class BinaryArray : public BinaryValues {
 public:
  explicit BinaryArray(ElementType type) : BinaryValues(std::string()), type_(type) {}

  //! The array (an empty one when no element was added); the builder is left empty.
  std::string Take();

 private:
  ElementType type_;
};

}  // namespace dataplane::pg
