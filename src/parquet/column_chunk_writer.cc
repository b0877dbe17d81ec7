#include "parquet/column_chunk_writer.h"

#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>

#include "parquet/codec.h"

namespace dataplane::parquet {
namespace {

void AppendUint32Le(std::uint32_t value, std::string& out) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

std::int32_t PageSize(std::size_t size) {
  if (size > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    throw std::logic_error("parquet: page larger than 2 GiB");
  }
  return static_cast<std::int32_t>(size);
}

int IndexBitWidth(std::uint32_t dictionary_size) {
  // Readers expect at least one bit, even for a dictionary of one value.
  const int width = RleHybridEncoder::BitWidthFor(dictionary_size - 1);
  return width == 0 ? 1 : width;
}

}  // namespace

ColumnChunkWriter::ColumnChunkWriter(ColumnChunkOptions options)
    : options_(std::move(options)), dictionary_(options_.max_dictionary_bytes) {}

void ColumnChunkWriter::AddNull() {
  if (!options_.nullable) throw std::logic_error("parquet: NULL in required column");
  definition_levels_.Add(0);
  statistics_.AddNull();
  page_statistics_.AddNull();
  ++page_values_;
  MaybeCutPage();
}

void ColumnChunkWriter::AddDefined() {
  if (options_.nullable) definition_levels_.Add(1);
  ++page_values_;
}

void ColumnChunkWriter::AddInt32(std::int32_t value) {
  AddDefined();
  AppendPlainInt32(value, plain_values_);
  statistics_.AddInt64(value);
  page_statistics_.AddInt64(value);
  MaybeCutPage();
}

void ColumnChunkWriter::AddInt64(std::int64_t value) {
  AddDefined();
  AppendPlainInt64(value, plain_values_);
  statistics_.AddInt64(value);
  page_statistics_.AddInt64(value);
  MaybeCutPage();
}

void ColumnChunkWriter::AddDouble(double value) {
  AddDefined();
  AppendPlainDouble(value, plain_values_);
  statistics_.AddDouble(value);
  page_statistics_.AddDouble(value);
  MaybeCutPage();
}

void ColumnChunkWriter::AddBool(bool value) {
  AddDefined();
  booleans_.Add(value);
  statistics_.AddInt64(value ? 1 : 0);
  page_statistics_.AddInt64(value ? 1 : 0);
  MaybeCutPage();
}

void ColumnChunkWriter::AddBytes(std::string_view value) {
  statistics_.AddBytes(value);
  if (options_.dictionary && !fell_back_) {
    AddDictionaryValue(value);
  } else {
    AddDefined();
    if (options_.type == PhysicalType::kFixedLenByteArray) {
      AppendPlainFixed(value, plain_values_);
    } else {
      AppendPlainByteArray(value, plain_values_);
    }
  }
  // After the value is placed: a dictionary overflow above cuts the page before this value.
  page_statistics_.AddBytes(value);
  MaybeCutPage();
}

void ColumnChunkWriter::AddDictionaryValue(std::string_view value) {
  if (std::optional<std::uint32_t> index = dictionary_.Insert(value)) {
    AddDefined();
    indices_.push_back(*index);
    return;
  }
  // The dictionary is full: the pages so far keep their indices, the rest of the chunk is PLAIN.
  // A page without indices yet is PLAIN already (see PageValues), so it need not be cut.
  if (!indices_.empty()) CutPage();
  fell_back_ = true;
  AddDefined();
  AppendPlainByteArray(value, plain_values_);
}

std::size_t ColumnChunkWriter::EstimatedPageBytes() const {
  std::size_t bytes = plain_values_.size() + booleans_.byte_size();
  if (options_.nullable) bytes += definition_levels_.count() / 8;
  if (!indices_.empty()) bytes += indices_.size() * IndexBitWidth(dictionary_.size()) / 8;
  return bytes;
}

void ColumnChunkWriter::MaybeCutPage() {
  if (EstimatedPageBytes() >= options_.page_bytes) CutPage();
}

std::string ColumnChunkWriter::PageValues(Encoding encoding) {
  if (encoding == Encoding::kPlain) {
    std::string values = std::move(plain_values_);
    plain_values_.clear();
    if (options_.type == PhysicalType::kBoolean) values = booleans_.Finish();
    return values;
  }
  const int width = IndexBitWidth(dictionary_.size());
  RleHybridEncoder encoder(width);
  for (std::uint32_t index : indices_) encoder.Add(index);
  indices_.clear();
  std::string values(1, static_cast<char>(width));
  values += encoder.Finish();
  return values;
}

void ColumnChunkWriter::CutPage() {
  if (page_values_ == 0) return;
  const Encoding encoding = indices_.empty() ? Encoding::kPlain : Encoding::kRleDictionary;
  std::string raw;
  if (options_.nullable) {
    const std::string levels = definition_levels_.Finish();
    AppendUint32Le(static_cast<std::uint32_t>(levels.size()), raw);
    raw += levels;
  }
  raw += PageValues(encoding);
  PageHeader header;
  header.type = PageType::kDataPage;
  header.data_page_header = DataPageHeader{page_values_, encoding, Encoding::kRle, Encoding::kRle};
  const std::size_t page_start = data_pages_.size();
  AppendPage(std::move(header), raw, data_pages_);
  RecordPage(page_start);
  if (encoding == Encoding::kPlain) {
    used_plain_ = true;
  } else {
    used_dictionary_ = true;
  }
  num_values_ += page_values_;
  page_values_ = 0;
}

void ColumnChunkWriter::RecordPage(std::size_t page_start) {
  Statistics bounds = page_statistics_.Finish(options_.type);
  PageIndexEntry page;
  page.offset = static_cast<std::int64_t>(page_start);
  page.compressed_page_size = static_cast<std::int32_t>(data_pages_.size() - page_start);
  page.first_row_index = num_values_;  // flat columns: one value per row
  page.null_count = bounds.null_count.value_or(0);
  page.null_page = page.null_count == page_values_;  // its min and max then stay empty
  if (page.null_page) {
    pages_.push_back(std::move(page));
    return;
  }
  if (bounds.min_value && bounds.max_value) {
    page.min_value = IndexMin(options_.type, std::move(*bounds.min_value));
    page.max_value = IndexMax(options_.type, std::move(*bounds.max_value));
  } else {  // only NaNs, which statistics ignore: bounds that hold anything
    AppendPlainDouble(-std::numeric_limits<double>::infinity(), page.min_value);
    AppendPlainDouble(std::numeric_limits<double>::infinity(), page.max_value);
  }
  pages_.push_back(std::move(page));
}

void ColumnChunkWriter::AppendPage(PageHeader header, std::string_view raw, std::string& out) {
  core::Result<std::string> compressed = Compress(options_.codec, options_.zstd_level, raw);
  if (!compressed) {
    if (status_.ok()) status_ = compressed.error();
    return;
  }
  header.uncompressed_page_size = PageSize(raw.size());
  header.compressed_page_size = PageSize(compressed->size());
  const std::string header_bytes = SerializePageHeader(header);
  uncompressed_bytes_ += static_cast<std::int64_t>(header_bytes.size() + raw.size());
  compressed_bytes_ += static_cast<std::int64_t>(header_bytes.size() + compressed->size());
  out += header_bytes;
  out += *compressed;
}

core::Result<EncodedChunk> ColumnChunkWriter::Finish(std::int64_t chunk_offset) {
  CutPage();
  EncodedChunk chunk;
  if (dictionary_.size() > 0) {
    PageHeader header;
    header.type = PageType::kDictionaryPage;
    header.dictionary_page_header =
        DictionaryPageHeader{static_cast<std::int32_t>(dictionary_.size()), Encoding::kPlain};
    AppendPage(std::move(header), dictionary_.plain(), chunk.dictionary_page);
  }
  if (!status_.ok()) {
    core::Error error = status_.error();
    Reset();
    return error;
  }
  ColumnMetaData& m = chunk.meta_data;
  m.type = options_.type;
  // Sorted by wire value; PLAIN also covers the dictionary page's own encoding.
  if (used_plain_ || !chunk.dictionary_page.empty()) m.encodings.push_back(Encoding::kPlain);
  if (options_.nullable) m.encodings.push_back(Encoding::kRle);
  if (used_dictionary_) m.encodings.push_back(Encoding::kRleDictionary);
  m.path_in_schema = {options_.name};
  m.codec = WireCodec(options_.codec);
  m.num_values = num_values_;
  m.total_uncompressed_size = uncompressed_bytes_;
  m.total_compressed_size = compressed_bytes_;
  if (!chunk.dictionary_page.empty()) m.dictionary_page_offset = chunk_offset;
  m.data_page_offset = chunk_offset + static_cast<std::int64_t>(chunk.dictionary_page.size());
  m.statistics = statistics_.Finish(options_.type);
  chunk.data_pages = std::move(data_pages_);
  chunk.pages = std::move(pages_);
  for (PageIndexEntry& page : chunk.pages) page.offset += m.data_page_offset;
  Reset();
  return chunk;
}

void ColumnChunkWriter::Reset() {
  definition_levels_.Finish();
  plain_values_.clear();
  booleans_.Finish();
  indices_.clear();
  page_values_ = 0;
  dictionary_.Clear();
  fell_back_ = false;
  data_pages_.clear();
  statistics_ = StatisticsCollector();
  page_statistics_ = StatisticsCollector();
  pages_.clear();
  num_values_ = 0;
  uncompressed_bytes_ = 0;
  compressed_bytes_ = 0;
  used_plain_ = false;
  used_dictionary_ = false;
  status_ = core::OkStatus();
}

}  // namespace dataplane::parquet
