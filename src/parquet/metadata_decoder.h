#pragma once
// The reverse of parquet_metadata.h for the reader: FileMetaData and PageHeader decoded from
// their Thrift compact bytes into the structs the writer fills (only their fields are kept;
// statistics, column orders, CRCs, index and V2 page headers and every unknown field are
// skipped). Enum fields keep their wire value even when it is none of the enum's names, so that
// the reader can name what it does not support (a REPEATED column, a DATA_PAGE_V2).
//
// Errors: a field of the wrong type or a missing required field (one the format requires, or
// one the reader cannot do without, such as ColumnChunk.meta_data) is kMalformed; a column chunk
// stored in another file (ColumnChunk.file_path) and a logical type other than STRING, JSON,
// UUID and TIMESTAMP(isAdjustedToUTC, MICROS) are unsupported (reader_error.h). Pure functions;
// decoding never reads outside `bytes` (thrift_compact_reader.h).
#include <cstddef>
#include <string_view>

#include "core/error.h"
#include "parquet/parquet_metadata.h"

namespace dataplane::parquet {

//! The footer: `bytes` must hold exactly one FileMetaData.
core::Result<FileMetaData> DecodeFileMetaData(std::string_view bytes);

struct DecodedPageHeader {
  PageHeader header;
  std::size_t encoded_size = 0;  // bytes of the header; the page's data follows
};

//! The PageHeader at the start of `bytes` (more bytes may follow it).
core::Result<DecodedPageHeader> DecodePageHeader(std::string_view bytes);

}  // namespace dataplane::parquet
