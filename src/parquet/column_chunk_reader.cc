#include "parquet/column_chunk_reader.h"

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "parquet/codec_decompress.h"
#include "parquet/metadata_decoder.h"
#include "parquet/plain_decoder.h"
#include "parquet/rle_hybrid_decoder.h"

namespace dataplane::parquet {
namespace {

// Wire values parquet_metadata.h has no name for: the writer never writes them.
constexpr auto kIndexPage = static_cast<PageType>(1);
constexpr auto kDataPageV2 = static_cast<PageType>(3);
constexpr auto kPlainDictionary = static_cast<Encoding>(2);

std::uint32_t LittleEndian32(std::string_view bytes) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<std::uint8_t>(bytes[i]);
  return value;
}

//! Calls `f` with the value vectors of `a` and `b` that hold `type`, returning what it returns.
template <typename F>
auto WithValues(PhysicalType type, ColumnData& a, ColumnData& b, F f) {
  switch (type) {
    case PhysicalType::kBoolean:
      return f(a.bools, b.bools);
    case PhysicalType::kInt32:
      return f(a.int32s, b.int32s);
    case PhysicalType::kInt64:
      return f(a.int64s, b.int64s);
    case PhysicalType::kDouble:
      return f(a.doubles, b.doubles);
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray:
      break;
  }
  return f(a.bytes, b.bytes);  // the caller has checked the type
}

class ChunkDecoder {
 public:
  ChunkDecoder(const ChunkFormat& format, std::size_t rows, MemoryBudget& budget)
      : format_(format), rows_(rows), budget_(budget) {}

  core::Status Decode(std::string_view bytes);
  ColumnData Take() { return std::move(out_); }

 private:
  core::Status Page(const PageHeader& header, std::string_view compressed);
  core::Status DictionaryPage(const PageHeader& header, std::string_view page);
  core::Status DataPage(const DataPageHeader& header, std::string_view page);
  core::Status DefinitionLevels(Encoding encoding, std::size_t count, std::string_view& page,
                                std::vector<std::uint32_t>& levels);
  core::Status DictionaryValues(std::string_view data, std::size_t count, ColumnData& dense);
  void Scatter(const std::vector<std::uint32_t>& levels, std::size_t count, ColumnData& dense);

  const ChunkFormat& format_;
  const std::size_t rows_;
  MemoryBudget& budget_;
  ColumnData out_;
  std::size_t values_ = 0;  // rows decoded so far
  std::optional<ColumnData> dictionary_;
  std::size_t dictionary_size_ = 0;
  bool seen_data_page_ = false;
};

core::Status ChunkDecoder::Decode(std::string_view bytes) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    core::Result<DecodedPageHeader> decoded = DecodePageHeader(bytes.substr(pos));
    if (!decoded) return decoded.error();
    pos += decoded->encoded_size;
    const PageHeader& header = decoded->header;
    if (header.compressed_page_size < 0 ||
        static_cast<std::size_t>(header.compressed_page_size) > bytes.size() - pos) {
      return MalformedParquet("a page passes the end of its column chunk");
    }
    const std::string_view compressed = bytes.substr(pos, header.compressed_page_size);
    pos += compressed.size();
    if (core::Status page = Page(header, compressed); !page) return page;
  }
  if (values_ != rows_) {
    return MalformedParquet("a column chunk of " + std::to_string(values_) +
                            " values in a row group of " + std::to_string(rows_) + " rows");
  }
  return core::OkStatus();
}

core::Status ChunkDecoder::Page(const PageHeader& header, std::string_view compressed) {
  if (header.type == kIndexPage) return core::OkStatus();
  if (header.type == kDataPageV2) return UnsupportedParquet("DATA_PAGE_V2");
  if (header.type != PageType::kDataPage && header.type != PageType::kDictionaryPage) {
    return MalformedParquet("page type " + std::to_string(static_cast<int>(header.type)));
  }
  if (header.uncompressed_page_size < 0) return MalformedParquet("a negative page size");
  core::Result<std::string> page = Decompress(
      format_.codec, compressed, static_cast<std::size_t>(header.uncompressed_page_size));
  if (!page) return page.error();
  if (header.type == PageType::kDictionaryPage) return DictionaryPage(header, *page);
  if (!header.data_page_header) return MalformedParquet("a data page without its header");
  return DataPage(*header.data_page_header, *page);
}

core::Status ChunkDecoder::DictionaryPage(const PageHeader& header, std::string_view page) {
  if (seen_data_page_ || dictionary_) return MalformedParquet("a dictionary page out of place");
  if (!header.dictionary_page_header) return MalformedParquet("a dictionary page without header");
  const DictionaryPageHeader& d = *header.dictionary_page_header;
  if (d.num_values < 0) return MalformedParquet("a negative dictionary size");
  if (d.encoding != Encoding::kPlain && d.encoding != kPlainDictionary) {
    return UnsupportedParquet("dictionary encoding " +
                              std::to_string(static_cast<int>(d.encoding)));
  }
  dictionary_.emplace();
  dictionary_size_ = static_cast<std::size_t>(d.num_values);
  return DecodePlain(format_.type, format_.type_length, page, dictionary_size_, *dictionary_,
                     budget_);
}

core::Status ChunkDecoder::DataPage(const DataPageHeader& header, std::string_view page) {
  seen_data_page_ = true;
  if (header.num_values < 0) return MalformedParquet("a negative number of page values");
  const auto count = static_cast<std::size_t>(header.num_values);
  if (count > rows_ - values_) return MalformedParquet("more values than the row group's rows");
  std::vector<std::uint32_t> levels;  // empty for a required column: every value is defined
  std::size_t defined = count;
  if (format_.nullable) {
    core::Status read = DefinitionLevels(header.definition_level_encoding, count, page, levels);
    if (!read) return read;
    defined = 0;
    for (std::uint32_t level : levels) defined += level;
  }
  ColumnData dense;
  core::Status values = core::OkStatus();
  if (header.encoding == Encoding::kPlain) {
    values = DecodePlain(format_.type, format_.type_length, page, defined, dense, budget_);
  } else if (header.encoding == Encoding::kRleDictionary || header.encoding == kPlainDictionary) {
    values = DictionaryValues(page, defined, dense);
  } else {
    return UnsupportedParquet("encoding " + std::to_string(static_cast<int>(header.encoding)));
  }
  if (!values) return values;
  Scatter(levels, count, dense);
  values_ += count;
  return core::OkStatus();
}

core::Status ChunkDecoder::DefinitionLevels(Encoding encoding, std::size_t count,
                                            std::string_view& page,
                                            std::vector<std::uint32_t>& levels) {
  if (encoding != Encoding::kRle) {
    return UnsupportedParquet("definition levels in encoding " +
                              std::to_string(static_cast<int>(encoding)));
  }
  if (page.size() < 4) return MalformedParquet("a page too short for its definition levels");
  const std::uint32_t length = LittleEndian32(page);
  page.remove_prefix(4);
  if (length > page.size()) return MalformedParquet("definition levels pass the end of the page");
  core::Status decoded = DecodeRleHybrid(page.substr(0, length), 1, count, levels);
  page.remove_prefix(length);
  return decoded;
}

core::Status ChunkDecoder::DictionaryValues(std::string_view data, std::size_t count,
                                            ColumnData& dense) {
  if (!dictionary_) return MalformedParquet("a dictionary-encoded page without a dictionary");
  if (count == 0) return core::OkStatus();
  if (data.empty()) return MalformedParquet("a dictionary-encoded page without a bit width");
  std::vector<std::uint32_t> indices;
  const int bit_width = static_cast<std::uint8_t>(data[0]);
  if (core::Status s = DecodeRleHybrid(data.substr(1), bit_width, count, indices); !s) return s;
  for (std::uint32_t index : indices) {
    if (index >= dictionary_size_) return MalformedParquet("a dictionary index out of range");
  }
  return WithValues(format_.type, *dictionary_, dense,
                    [&](auto& dictionary, auto& values) -> core::Status {
                      using T = typename std::decay_t<decltype(values)>::value_type;
                      if constexpr (std::is_same_v<T, std::string>) {
                        // Charged before any copy: a few indices can repeat a long value.
                        std::size_t bytes = 0;
                        for (std::uint32_t index : indices) bytes += dictionary[index].size();
                        if (core::Status s = budget_.Spend(bytes); !s) return s;
                      }
                      values.reserve(indices.size());
                      for (std::uint32_t index : indices) values.push_back(dictionary[index]);
                      return core::OkStatus();
                    });
}

void ChunkDecoder::Scatter(const std::vector<std::uint32_t>& levels, std::size_t count,
                           ColumnData& dense) {
  WithValues(format_.type, dense, out_, [&](auto& values, auto& out) {
    using T = typename std::decay_t<decltype(out)>::value_type;
    std::size_t next = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const bool defined = levels.empty() || levels[i] != 0;
      out_.defined.push_back(defined);
      if (defined) {
        out.push_back(std::move(values[next++]));
      } else {
        out.push_back(T{});
      }
    }
  });
}

}  // namespace

core::Result<ColumnData> DecodeColumnChunk(const ChunkFormat& format, std::string_view bytes,
                                           std::size_t rows, MemoryBudget& budget) {
  switch (format.type) {
    case PhysicalType::kBoolean:
    case PhysicalType::kInt32:
    case PhysicalType::kInt64:
    case PhysicalType::kDouble:
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray:
      break;
    default:
      return UnsupportedParquet("physical type " + std::to_string(static_cast<int>(format.type)));
  }
  ChunkDecoder decoder(format, rows, budget);
  if (core::Status decoded = decoder.Decode(bytes); !decoded) return decoded.error();
  return decoder.Take();
}

}  // namespace dataplane::parquet
