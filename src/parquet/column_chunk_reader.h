#pragma once
// DecodeColumnChunk: the values of one column chunk (the reverse of column_chunk_writer.h),
// from the chunk's bytes as read from the file (every page, each after its PageHeader).
//
// Pages: an optional DICTIONARY_PAGE first (PLAIN values), then DATA_PAGE (V1) pages: for a
// nullable column the definition levels (4-byte LE length + RLE hybrid, bit width 1), then the
// values PLAIN or RLE_DICTIONARY / PLAIN_DICTIONARY (one bit-width byte + RLE hybrid indices).
// INDEX_PAGEs are skipped. A chunk may switch from dictionary pages to PLAIN pages.
//
// Returns `rows` entries (column_data.h), or an Error: kMalformed for bytes that are not such a
// chunk (a page past the end of the chunk, a dictionary page after a data page or twice, a
// dictionary index out of range, levels or values running out, a decompressed size other than
// the header's, more or fewer values than `rows`); unsupported (reader_error.h) for
// DATA_PAGE_V2, another encoding or codec; the budget's error when string values pass it.
// Never reads outside `bytes`; memory grows with the values decoded, never with a count read
// from the input before it is checked.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "parquet/column_data.h"
#include "parquet/parquet_metadata.h"

namespace dataplane::parquet {

struct ChunkFormat {
  PhysicalType type = PhysicalType::kByteArray;
  std::size_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY only
  bool nullable = true;         // OPTIONAL: the pages carry definition levels
  CompressionCodec codec = CompressionCodec::kUncompressed;
};

core::Result<ColumnData> DecodeColumnChunk(const ChunkFormat& format, std::string_view bytes,
                                           std::size_t rows, MemoryBudget& budget);

}  // namespace dataplane::parquet
