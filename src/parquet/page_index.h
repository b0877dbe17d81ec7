#pragma once
// The page index of a column chunk (PageIndex.md of parquet-format): the OffsetIndex (where
// each data page is and the first row it holds) and the ColumnIndex (per page: whether it holds
// only NULLs, its min and max, its null count), which readers use to read only the pages a
// filter can match (hyparquet's `usePageIndex`). The file writer puts every chunk's ColumnIndex,
// then every OffsetIndex, after the last row group and before the footer, and names them in
// each ColumnChunk (column_index_offset/length, offset_index_offset/length).
//
// Bounds are PLAIN bytes as in Statistics. Byte-array bounds longer than kMaxIndexBound are
// truncated the way the format allows: the min to a prefix (at a UTF-8 character boundary, so a
// STRING bound stays text), the max to a prefix whose last ASCII byte is raised by one (still
// above every value of the page); a max that cannot be shortened so is kept whole. The boundary
// order is written UNORDERED: correct for any data, and what the archive's columns are.
// Pure functions.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/parquet_metadata.h"

namespace dataplane::parquet {

inline constexpr std::size_t kMaxIndexBound = 64;

struct PageIndexEntry {
  std::int64_t offset = 0;                // of the page header; absolute once the chunk is placed
  std::int32_t compressed_page_size = 0;  // header included
  std::int64_t first_row_index = 0;       // within the row group
  std::int64_t null_count = 0;
  bool null_page = false;  // no non-null value: min and max are empty
  std::string min_value;
  std::string max_value;
};

//! The bounds of a page as the column index keeps them (truncated for BYTE_ARRAY).
std::string IndexMin(PhysicalType type, std::string value);
std::string IndexMax(PhysicalType type, std::string value);

//! The compact-protocol bytes of a chunk's ColumnIndex and OffsetIndex.
std::string SerializeColumnIndex(const std::vector<PageIndexEntry>& pages);
std::string SerializeOffsetIndex(const std::vector<PageIndexEntry>& pages);

}  // namespace dataplane::parquet
