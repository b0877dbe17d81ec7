#include "pg/binary_copy.h"

namespace dataplane::pg {
namespace {

// "PGCOPY\n\377\r\n\0", then the flags (no OIDs) and the length of the header extension (none).
constexpr char kHeader[] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
constexpr std::size_t kHeaderSize = 19;
static_assert(sizeof kHeader == kHeaderSize + 1);

}  // namespace

BinaryCopy::BinaryCopy() : BinaryValues(std::string(kHeader, kHeaderSize)) {}

std::string BinaryCopy::Take() {
  AppendInt16(data_, -1);
  std::string stream = std::move(data_);
  data_.assign(kHeader, kHeaderSize);
  return stream;
}

}  // namespace dataplane::pg
