#include "parquet/file_reader.h"

#include <string_view>

#include "parquet/metadata_decoder.h"
#include "parquet/reader_error.h"
#include "parquet/schema_reader.h"

namespace dataplane::parquet {
namespace {

constexpr std::string_view kMagic = "PAR1";
constexpr std::uint64_t kMinFileBytes = 12;  // two magics and the footer length
// What one row of one column costs at least while decoded (the entry, its defined bit and the
// page's temporary level and value), on top of the bytes of strings.
constexpr std::size_t kCellBytes = 16;

std::uint32_t LittleEndian32(std::string_view bytes) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<std::uint8_t>(bytes[i]);
  return value;
}

std::size_t CellBytes(ColumnType type) {
  switch (type) {
    case ColumnType::kString:
    case ColumnType::kJson:
    case ColumnType::kUuid:
      return kCellBytes + sizeof(std::string);
    default:
      return kCellBytes;
  }
}

//! Where a chunk's first page is: its dictionary page when it has a plausible one.
std::int64_t ChunkStart(const ColumnMetaData& chunk) {
  if (chunk.dictionary_page_offset && *chunk.dictionary_page_offset > 0 &&
      *chunk.dictionary_page_offset < chunk.data_page_offset) {
    return *chunk.dictionary_page_offset;
  }
  return chunk.data_page_offset;
}

bool KnownCodec(CompressionCodec codec) {
  return codec == CompressionCodec::kUncompressed || codec == CompressionCodec::kSnappy ||
         codec == CompressionCodec::kZstd;
}

core::Error InContext(core::Error error, int group, const std::string& column) {
  error.message += " (row group " + std::to_string(group) + ", column '" + column + "')";
  return error;
}

ChunkFormat FormatOf(const SchemaElement& leaf) {
  ChunkFormat format;
  format.type = *leaf.type;
  format.type_length =
      leaf.type_length && *leaf.type_length > 0 ? static_cast<std::size_t>(*leaf.type_length) : 0;
  format.nullable = leaf.repetition_type == Repetition::kOptional;
  return format;
}

core::Result<std::string> ReadFooter(RandomAccessSource& source, std::uint64_t& footer_offset) {
  core::Result<std::uint64_t> size = source.Size();
  if (!size) return size.error();
  if (*size < kMinFileBytes) {
    return MalformedParquet("a file of " + std::to_string(*size) + " bytes is too short");
  }
  std::string bytes;
  if (core::Status read = source.ReadAt(0, kMagic.size(), bytes); !read) return read.error();
  if (bytes != kMagic) return MalformedParquet("the file does not start with PAR1");
  if (core::Status read = source.ReadAt(*size - 8, 8, bytes); !read) return read.error();
  if (std::string_view(bytes).substr(4) != kMagic) {
    return MalformedParquet("the file does not end with PAR1");
  }
  const std::uint32_t length = LittleEndian32(bytes);
  if (length > *size - kMinFileBytes)
    return MalformedParquet("the metadata length passes the file");
  if (length > FileReader::kMaxFooterBytes) {
    return ParquetTooLarge("metadata of " + std::to_string(length) + " bytes");
  }
  footer_offset = *size - 8 - length;
  if (core::Status read = source.ReadAt(footer_offset, length, bytes); !read) return read.error();
  return bytes;
}

}  // namespace

core::Result<FileReader> FileReader::Open(RandomAccessSource& source) {
  std::uint64_t footer_offset = 0;
  core::Result<std::string> footer = ReadFooter(source, footer_offset);
  if (!footer) return footer.error();
  core::Result<FileMetaData> metadata = DecodeFileMetaData(*footer);
  if (!metadata) return metadata.error();
  core::Result<std::vector<ColumnSpec>> columns = ColumnsOfSchema(metadata->schema);
  if (!columns) return columns.error();
  FileReader reader(source, std::move(*metadata), std::move(*columns));
  if (core::Status checked = reader.CheckRowGroups(static_cast<std::int64_t>(footer_offset));
      !checked) {
    return checked.error();
  }
  return reader;
}

FileReader::FileReader(RandomAccessSource& source, FileMetaData metadata,
                       std::vector<ColumnSpec> columns)
    : source_(&source), metadata_(std::move(metadata)), columns_(std::move(columns)) {
  for (std::size_t i = 1; i < metadata_.schema.size(); ++i) {
    formats_.push_back(FormatOf(metadata_.schema[i]));
  }
  for (KeyValue& kv : metadata_.key_value_metadata) {
    key_value_metadata_.emplace_back(std::move(kv.key), std::move(kv.value));
  }
  metadata_.key_value_metadata.clear();
}

core::Status FileReader::CheckRowGroups(std::int64_t footer_offset) const {
  if (metadata_.num_rows < 0) return MalformedParquet("a negative number of rows");
  std::int64_t rows = 0;
  for (std::size_t g = 0; g < metadata_.row_groups.size(); ++g) {
    const RowGroup& group = metadata_.row_groups[g];
    if (group.num_rows < 0 || group.num_rows > metadata_.num_rows - rows) {
      return MalformedParquet("the row groups hold more rows than the file");
    }
    rows += group.num_rows;
    if (group.columns.size() != columns_.size()) {
      return MalformedParquet("row group " + std::to_string(g) + " has " +
                              std::to_string(group.columns.size()) + " column chunks for " +
                              std::to_string(columns_.size()) + " columns");
    }
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      core::Status chunk = CheckChunk(group.columns[c].meta_data, c, group.num_rows, footer_offset);
      if (!chunk) return InContext(chunk.error(), static_cast<int>(g), columns_[c].name);
    }
  }
  if (rows != metadata_.num_rows) return MalformedParquet("the row groups hold fewer rows");
  return core::OkStatus();
}

core::Status FileReader::CheckChunk(const ColumnMetaData& chunk, std::size_t column,
                                    std::int64_t rows, std::int64_t footer_offset) const {
  if (chunk.type != formats_[column].type) return MalformedParquet("a chunk of another type");
  if (chunk.path_in_schema.size() != 1 || chunk.path_in_schema[0] != columns_[column].name) {
    return MalformedParquet("a chunk of another column");
  }
  if (!KnownCodec(chunk.codec)) {
    return UnsupportedParquet("codec " + std::to_string(static_cast<int>(chunk.codec)));
  }
  if (chunk.num_values != rows) return MalformedParquet("a chunk of another number of values");
  const std::int64_t size = chunk.total_compressed_size;
  if (size < 0) return MalformedParquet("a negative chunk size");
  if (static_cast<std::uint64_t>(size) > kMaxChunkBytes) {
    return ParquetTooLarge("a column chunk of " + std::to_string(size) + " bytes");
  }
  const std::int64_t start = ChunkStart(chunk);
  if (start < static_cast<std::int64_t>(kMagic.size()) || size > footer_offset ||
      start > footer_offset - size) {
    return MalformedParquet("a column chunk outside the file's data");
  }
  return core::OkStatus();
}

core::Result<RowGroupData> FileReader::ReadRowGroup(int index) {
  if (index < 0 || index >= num_row_groups()) {
    return core::Error::Invalid("no_row_group", "index",
                                "parquet: no row group " + std::to_string(index));
  }
  const RowGroup& group = metadata_.row_groups[static_cast<std::size_t>(index)];
  const auto rows = static_cast<std::uint64_t>(group.num_rows);
  std::size_t row_bytes = 0;
  for (const ColumnSpec& column : columns_) row_bytes += CellBytes(column.type);
  if (rows > kMaxRowGroupBytes / row_bytes) {
    return ParquetTooLarge("row group " + std::to_string(index) + " of " + std::to_string(rows) +
                           " rows");
  }
  MemoryBudget budget(kMaxRowGroupBytes - rows * row_bytes);
  RowGroupData data;
  data.rows = group.num_rows;
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    core::Result<ColumnData> column =
        ReadChunk(group.columns[c].meta_data, c, static_cast<std::size_t>(rows), budget);
    if (!column) return InContext(column.error(), index, columns_[c].name);
    data.columns.push_back(std::move(*column));
  }
  return data;
}

core::Result<ColumnData> FileReader::ReadChunk(const ColumnMetaData& chunk, std::size_t column,
                                               std::size_t rows, MemoryBudget& budget) {
  std::string bytes;
  core::Status read = source_->ReadAt(static_cast<std::uint64_t>(ChunkStart(chunk)),
                                      static_cast<std::size_t>(chunk.total_compressed_size), bytes);
  if (!read) return read.error();
  ChunkFormat format = formats_[column];
  format.codec = chunk.codec;
  return DecodeColumnChunk(format, bytes, rows, budget);
}

}  // namespace dataplane::parquet
