#include "parquet/file_writer.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>

#include "parquet/bloom_filter.h"
#include "parquet/column_chunk_writer.h"
#include "parquet/column_schema.h"
#include "parquet/page_index.h"
#include "parquet/parquet_metadata.h"

namespace dataplane::parquet {
namespace {

constexpr std::string_view kMagic = "PAR1";

std::string LittleEndian32(std::uint32_t value) {
  std::string out;
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(value >> (8 * i)));
  return out;
}

ColumnChunkOptions ChunkOptions(const ColumnSpec& column, const WriterOptions& options) {
  ColumnChunkOptions chunk;
  chunk.name = column.name;
  chunk.type = PhysicalTypeOf(column.type);
  chunk.nullable = column.nullable;
  chunk.dictionary = column.dictionary;
  chunk.codec = options.codec;
  chunk.zstd_level = options.zstd_level;
  chunk.page_bytes = options.page_bytes;
  chunk.max_dictionary_bytes = options.max_dictionary_bytes;
  return chunk;
}

struct ChunkPageIndex {
  std::string column_index;
  std::string offset_index;
};

//! An integer's PLAIN bytes (little endian), which its Bloom filter hashes.
template <typename Int>
std::string PlainBytes(Int value) {
  std::string out;
  const auto u = static_cast<std::make_unsigned_t<Int>>(value);
  for (std::size_t i = 0; i < sizeof(Int); ++i) out.push_back(static_cast<char>(u >> (8 * i)));
  return out;
}

const char* TypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kInt64:
      return "int64";
    case ColumnType::kInt32:
      return "int32";
    case ColumnType::kDouble:
      return "double";
    case ColumnType::kBoolean:
      return "boolean";
    case ColumnType::kString:
      return "string";
    case ColumnType::kJson:
      return "json";
    case ColumnType::kTimestamp:
      return "timestamp";
    case ColumnType::kUuid:
      return "uuid";
  }
  return "?";
}

}  // namespace

class FileWriter::Impl {
 public:
  Impl(std::vector<ColumnSpec> columns, WriterOptions options, Sink& sink)
      : columns_(std::move(columns)), options_(std::move(options)), sink_(sink) {
    ValidateColumns(columns_);
    if (options_.row_group_rows == 0) throw std::logic_error("parquet: row_group_rows is 0");
    for (const ColumnSpec& column : columns_) chunks_.emplace_back(ChunkOptions(column, options_));
    filled_.assign(columns_.size(), false);
    bloom_hashes_.resize(columns_.size());
  }

  //! Remembers the hash of a value of `col` for its Bloom filter, when it has one.
  void HashForBloomFilter(int col, std::string_view plain) {
    if (columns_[col].bloom_filter) {
      bloom_hashes_[col].push_back(SplitBlockBloomFilter::Hash(plain));
    }
  }
  template <typename Int>
  void HashIntForBloomFilter(int col, Int value) {
    if (columns_[col].bloom_filter) HashForBloomFilter(col, PlainBytes(value));
  }

  const ColumnSpec& Column(int col) const {
    CheckOpen();
    if (col < 0 || static_cast<std::size_t>(col) >= columns_.size()) {
      throw std::logic_error("parquet: no column " + std::to_string(col));
    }
    return columns_[col];
  }

  //! Checks a value (of one of `types`, or a null when `types` is empty) for `col` against the
  //! contract, changing nothing when it throws; false when the writer has failed and the value
  //! is to be dropped.
  bool Accept(int col, std::initializer_list<ColumnType> types) {
    const ColumnSpec& column = Column(col);
    if (types.size() == 0 && !column.nullable) {
      throw std::logic_error("parquet: NULL in required column " + column.name);
    }
    bool type_ok = types.size() == 0;
    for (ColumnType t : types) type_ok = type_ok || t == column.type;
    if (!type_ok) {
      throw std::logic_error("parquet: wrong value type for " + std::string(TypeName(column.type)) +
                             " column " + column.name);
    }
    if (filled_[col]) throw std::logic_error("parquet: two values in one row for " + column.name);
    filled_[col] = true;
    WriteMagicOnce();
    return !error_;
  }

  ColumnChunkWriter& chunk(int col) { return chunks_[col]; }

  core::Status EndRow() {
    CheckOpen();
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (!filled_[i]) {
        throw std::logic_error("parquet: no value in the row for " + columns_[i].name);
      }
    }
    // Reset even after a failure, so that the caller's next row is not taken as a doubled one.
    filled_.assign(columns_.size(), false);
    if (error_) return *error_;
    ++rows_;
    if (++group_rows_ >= options_.row_group_rows) FlushRowGroup();
    return CurrentStatus();
  }

  core::Status Close() {
    CheckOpen();
    if (error_) return *error_;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (filled_[i]) throw std::logic_error("parquet: Close inside an unfinished row");
    }
    WriteMagicOnce();
    if (group_rows_ > 0) FlushRowGroup();
    WriteFooter();
    if (error_) return *error_;
    closed_ = true;
    return core::OkStatus();
  }

  std::uint64_t rows() const { return rows_; }
  std::uint64_t bytes_written() const { return bytes_written_; }
  int row_groups() const { return static_cast<int>(row_groups_.size()); }

 private:
  void CheckOpen() const {
    if (closed_) throw std::logic_error("parquet: the writer is closed");
  }

  core::Status CurrentStatus() const {
    if (error_) return *error_;
    return core::OkStatus();
  }

  void Write(std::string_view bytes) {
    if (error_ || bytes.empty()) return;
    core::Status status = sink_.Write(bytes);
    if (!status) {
      error_ = status.error();
      return;
    }
    bytes_written_ += bytes.size();
  }

  void WriteMagicOnce() {
    if (magic_written_) return;
    magic_written_ = true;
    Write(kMagic);
  }

  void FlushRowGroup() {
    RowGroup group;
    std::vector<ChunkPageIndex> group_page_indexes;
    group.num_rows = static_cast<std::int64_t>(group_rows_);
    group.file_offset = static_cast<std::int64_t>(bytes_written_);
    for (ColumnChunkWriter& writer : chunks_) {
      core::Result<EncodedChunk> chunk = writer.Finish(static_cast<std::int64_t>(bytes_written_));
      if (!chunk) {
        if (!error_) error_ = chunk.error();
        continue;  // the other chunks still reset, so no buffered row group is left behind
      }
      Write(chunk->dictionary_page);
      Write(chunk->data_pages);
      group.total_byte_size += chunk->meta_data.total_uncompressed_size;
      group.total_compressed_size += chunk->meta_data.total_compressed_size;
      group_page_indexes.push_back(
          {SerializeColumnIndex(chunk->pages), SerializeOffsetIndex(chunk->pages)});
      ColumnChunk column;
      column.meta_data = std::move(chunk->meta_data);
      group.columns.push_back(std::move(column));
    }
    group_rows_ = 0;
    if (!error_) WriteBloomFilters(group);
    for (std::vector<std::uint64_t>& hashes : bloom_hashes_) hashes.clear();
    if (!error_) {
      row_groups_.push_back(std::move(group));
      page_indexes_.push_back(std::move(group_page_indexes));
    }
  }

  // Before the footer: every chunk's ColumnIndex, then every OffsetIndex, each named in its
  // ColumnChunk.
  void WritePageIndexes() {
    WriteIndexOfEveryChunk(&ChunkPageIndex::column_index, &ColumnChunk::column_index_offset,
                           &ColumnChunk::column_index_length);
    WriteIndexOfEveryChunk(&ChunkPageIndex::offset_index, &ColumnChunk::offset_index_offset,
                           &ColumnChunk::offset_index_length);
    page_indexes_.clear();
  }

  // One kind of index (`bytes`) of every chunk, in file order, with its place in the chunk.
  void WriteIndexOfEveryChunk(std::string ChunkPageIndex::*bytes,
                              std::optional<std::int64_t> ColumnChunk::*offset,
                              std::optional<std::int32_t> ColumnChunk::*length) {
    for (std::size_t g = 0; g < row_groups_.size(); ++g) {
      for (std::size_t c = 0; c < row_groups_[g].columns.size(); ++c) {
        ColumnChunk& chunk = row_groups_[g].columns[c];
        const std::string& index = page_indexes_[g][c].*bytes;
        chunk.*offset = static_cast<std::int64_t>(bytes_written_);
        chunk.*length = static_cast<std::int32_t>(index.size());
        Write(index);
      }
    }
  }

  // After the row group's chunks: one filter per Bloom column, sized for its distinct values.
  void WriteBloomFilters(RowGroup& group) {
    for (std::size_t col = 0; col < columns_.size(); ++col) {
      if (!columns_[col].bloom_filter) continue;
      std::vector<std::uint64_t>& hashes = bloom_hashes_[col];
      std::sort(hashes.begin(), hashes.end());
      hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
      SplitBlockBloomFilter filter(hashes.size(), options_.bloom_false_positive_probability);
      for (std::uint64_t hash : hashes) filter.Insert(hash);
      const std::string bytes = filter.Serialize();
      ColumnMetaData& meta = group.columns[col].meta_data;
      meta.bloom_filter_offset = static_cast<std::int64_t>(bytes_written_);
      meta.bloom_filter_length = static_cast<std::int32_t>(bytes.size());
      Write(bytes);
    }
  }

  void WriteFooter() {
    WritePageIndexes();
    FileMetaData metadata;
    metadata.schema = FileSchema(columns_);
    metadata.num_rows = static_cast<std::int64_t>(rows_);
    metadata.row_groups = std::move(row_groups_);
    for (const auto& [key, value] : options_.key_value_metadata) {
      metadata.key_value_metadata.push_back(KeyValue{key, value});
    }
    metadata.created_by = options_.created_by;
    const std::string footer = SerializeFileMetaData(metadata);
    row_groups_ = std::move(metadata.row_groups);
    Write(footer);
    Write(LittleEndian32(static_cast<std::uint32_t>(footer.size())));
    Write(kMagic);
  }

  std::vector<ColumnSpec> columns_;
  WriterOptions options_;
  Sink& sink_;
  std::vector<ColumnChunkWriter> chunks_;  // one per column, for the current row group
  std::vector<bool> filled_;               // which columns have a value in the current row
  std::vector<RowGroup> row_groups_;       // metadata of the row groups written
  //! The serialized page index of every chunk written, by row group and column, until the
  //! footer (a few dozen bytes per page).
  std::vector<std::vector<ChunkPageIndex>> page_indexes_;
  //! Per column with a Bloom filter, the hashes of the current row group's values.
  std::vector<std::vector<std::uint64_t>> bloom_hashes_;
  std::uint64_t rows_ = 0;
  std::size_t group_rows_ = 0;
  std::uint64_t bytes_written_ = 0;
  bool magic_written_ = false;
  bool closed_ = false;
  std::optional<core::Error> error_;  // the first failure; sticks
};

FileWriter::FileWriter(std::vector<ColumnSpec> columns, WriterOptions options, Sink& sink)
    : impl_(std::make_unique<Impl>(std::move(columns), std::move(options), sink)) {}

FileWriter::~FileWriter() = default;

void FileWriter::AppendNull(int col) {
  if (impl_->Accept(col, {})) impl_->chunk(col).AddNull();
}

void FileWriter::AppendInt64(int col, std::int64_t value) {
  if (impl_->Accept(col, {ColumnType::kInt64, ColumnType::kTimestamp})) {
    impl_->chunk(col).AddInt64(value);
    impl_->HashIntForBloomFilter(col, value);
  }
}

void FileWriter::AppendInt32(int col, std::int32_t value) {
  if (impl_->Accept(col, {ColumnType::kInt32})) {
    impl_->chunk(col).AddInt32(value);
    impl_->HashIntForBloomFilter(col, value);
  }
}

void FileWriter::AppendDouble(int col, double value) {
  if (impl_->Accept(col, {ColumnType::kDouble})) impl_->chunk(col).AddDouble(value);
}

void FileWriter::AppendBool(int col, bool value) {
  if (impl_->Accept(col, {ColumnType::kBoolean})) impl_->chunk(col).AddBool(value);
}

void FileWriter::AppendBytes(int col, std::string_view value) {
  if (impl_->Column(col).type == ColumnType::kUuid && value.size() != 16) {
    throw std::logic_error("parquet: a uuid is 16 bytes, got " + std::to_string(value.size()));
  }
  if (impl_->Accept(col, {ColumnType::kString, ColumnType::kJson, ColumnType::kUuid})) {
    impl_->chunk(col).AddBytes(value);
    impl_->HashForBloomFilter(col, value);
  }
}

core::Status FileWriter::EndRow() { return impl_->EndRow(); }
core::Status FileWriter::Close() { return impl_->Close(); }
std::uint64_t FileWriter::rows() const { return impl_->rows(); }
std::uint64_t FileWriter::bytes_written() const { return impl_->bytes_written(); }
int FileWriter::row_groups() const { return impl_->row_groups(); }

}  // namespace dataplane::parquet
