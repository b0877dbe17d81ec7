#include "parquet/metadata_decoder.h"

#include <cstdint>
#include <initializer_list>
#include <string>

#include "parquet/reader_error.h"
#include "parquet/thrift_compact_reader.h"

namespace dataplane::parquet {
namespace {

using Reader = ThriftCompactReader;

// The ids of the fields met in one struct, for the required-field check.
class SeenFields {
 public:
  void Add(std::int16_t id) {
    if (id > 0 && id < 64) bits_ |= std::uint64_t{1} << id;
  }
  core::Status Require(std::initializer_list<int> ids, const char* what) const {
    for (int id : ids) {
      if ((bits_ & (std::uint64_t{1} << id)) == 0) {
        return MalformedParquet(std::string(what) + " lacks field " + std::to_string(id));
      }
    }
    return core::OkStatus();
  }

 private:
  std::uint64_t bits_ = 0;
};

core::Status ExpectType(CompactType type, CompactType expected) {
  if (type == expected) return core::OkStatus();
  return MalformedParquet("thrift: a field of type " + std::to_string(static_cast<int>(type)) +
                          " where type " + std::to_string(static_cast<int>(expected)) + " belongs");
}

template <typename T>
core::Status ReadI32(Reader& r, CompactType type, T& out) {
  if (core::Status s = ExpectType(type, CompactType::kI32); !s) return s;
  core::Result<std::int32_t> value = r.ReadI32();
  if (!value) return value.error();
  out = static_cast<T>(*value);  // enums keep unknown wire values
  return core::OkStatus();
}

core::Status ReadI64(Reader& r, CompactType type, std::int64_t& out) {
  if (core::Status s = ExpectType(type, CompactType::kI64); !s) return s;
  core::Result<std::int64_t> value = r.ReadI64();
  if (!value) return value.error();
  out = *value;
  return core::OkStatus();
}

core::Status ReadString(Reader& r, CompactType type, std::string& out) {
  if (core::Status s = ExpectType(type, CompactType::kBinary); !s) return s;
  core::Result<std::string_view> value = r.ReadBinary();
  if (!value) return value.error();
  out.assign(*value);
  return core::OkStatus();
}

//! A list field whose elements `read_element(index)` reads, after checking the element type.
template <typename ReadElement>
core::Status ReadList(Reader& r, CompactType type, CompactType element_type,
                      ReadElement read_element) {
  if (core::Status s = ExpectType(type, CompactType::kList); !s) return s;
  core::Result<Reader::ListHeader> header = r.ReadListHeader();
  if (!header) return header.error();
  if (header->size > 0) {
    if (core::Status s = ExpectType(header->element_type, element_type); !s) return s;
  }
  for (std::uint32_t i = 0; i < header->size; ++i) {
    if (core::Status s = read_element(); !s) return s;
  }
  return core::OkStatus();
}

//! A list of structs appended to `out`, each read by `read_struct(r, element)`.
template <typename T, typename ReadStruct>
core::Status ReadStructList(Reader& r, CompactType type, std::vector<T>& out,
                            ReadStruct read_struct) {
  return ReadList(r, type, CompactType::kStruct, [&]() {
    out.emplace_back();
    return read_struct(r, out.back());
  });
}

// A struct whose fields are all skipped except the one union member it names.
core::Status ReadEmptyStruct(Reader& r, CompactType type) {
  if (core::Status s = ExpectType(type, CompactType::kStruct); !s) return s;
  return r.Skip(type);
}

core::Status ReadTimestampType(Reader& r, CompactType type, bool& micros_utc) {
  if (core::Status s = ExpectType(type, CompactType::kStruct); !s) return s;
  bool utc = false;
  bool micros = false;
  core::Status read = r.ReadStruct([&](std::int16_t id, CompactType t) -> core::Status {
    if (id == 1 && (t == CompactType::kBoolTrue || t == CompactType::kBoolFalse)) {
      utc = Reader::BoolFieldValue(t);
      return core::OkStatus();
    }
    if (id != 2) return r.Skip(t);
    if (core::Status s = ExpectType(t, CompactType::kStruct); !s) return s;
    return r.ReadStruct([&](std::int16_t unit, CompactType u) {  // the TimeUnit union
      micros = unit == 2;
      return r.Skip(u);
    });
  });
  if (!read) return read;
  micros_utc = utc && micros;
  return core::OkStatus();
}

core::Status ReadLogicalType(Reader& r, CompactType type, LogicalKind& out) {
  if (core::Status s = ExpectType(type, CompactType::kStruct); !s) return s;
  int unknown = 0;
  core::Status read = r.ReadStruct([&](std::int16_t id, CompactType t) -> core::Status {
    switch (id) {
      case 1:
        out = LogicalKind::kString;
        return ReadEmptyStruct(r, t);
      case 12:
        out = LogicalKind::kJson;
        return ReadEmptyStruct(r, t);
      case 14:
        out = LogicalKind::kUuid;
        return ReadEmptyStruct(r, t);
      case 8: {
        bool micros_utc = false;
        if (core::Status s = ReadTimestampType(r, t, micros_utc); !s) return s;
        if (micros_utc) {
          out = LogicalKind::kTimestampMicrosUtc;
        } else {
          unknown = id;
        }
        return core::OkStatus();
      }
      default:
        unknown = id;
        return r.Skip(t);
    }
  });
  if (!read) return read;
  if (unknown != 0) {
    return UnsupportedParquet("logical type " + std::to_string(unknown) +
                              " (or a TIMESTAMP other than UTC micros)");
  }
  return core::OkStatus();
}

core::Status ReadSchemaElement(Reader& r, SchemaElement& e) {
  SeenFields seen;
  core::Status read = r.ReadStruct([&](std::int16_t id, CompactType type) -> core::Status {
    seen.Add(id);
    switch (id) {
      case 1:
        return ReadI32(r, type, e.type.emplace());
      case 2:
        return ReadI32(r, type, e.type_length.emplace());
      case 3:
        return ReadI32(r, type, e.repetition_type.emplace());
      case 4:
        return ReadString(r, type, e.name);
      case 5:
        return ReadI32(r, type, e.num_children.emplace());
      case 6:
        return ReadI32(r, type, e.converted_type.emplace());
      case 10:
        return ReadLogicalType(r, type, e.logical_type);
      default:
        return r.Skip(type);
    }
  });
  if (!read) return read;
  return seen.Require({4}, "SchemaElement");
}

core::Status ReadColumnMetaData(Reader& r, CompactType type, ColumnMetaData& m) {
  if (core::Status s = ExpectType(type, CompactType::kStruct); !s) return s;
  SeenFields seen;
  core::Status read = r.ReadStruct([&](std::int16_t id, CompactType t) -> core::Status {
    seen.Add(id);
    switch (id) {
      case 1:
        return ReadI32(r, t, m.type);
      case 2:
        return ReadList(r, t, CompactType::kI32, [&]() {
          return ReadI32(r, CompactType::kI32, m.encodings.emplace_back());
        });
      case 3:
        return ReadList(r, t, CompactType::kBinary, [&]() {
          return ReadString(r, CompactType::kBinary, m.path_in_schema.emplace_back());
        });
      case 4:
        return ReadI32(r, t, m.codec);
      case 5:
        return ReadI64(r, t, m.num_values);
      case 6:
        return ReadI64(r, t, m.total_uncompressed_size);
      case 7:
        return ReadI64(r, t, m.total_compressed_size);
      case 9:
        return ReadI64(r, t, m.data_page_offset);
      case 11:
        return ReadI64(r, t, m.dictionary_page_offset.emplace());
      default:  // statistics and the rest: not needed to read the values
        return r.Skip(t);
    }
  });
  if (!read) return read;
  return seen.Require({1, 2, 3, 4, 5, 6, 7, 9}, "ColumnMetaData");
}

core::Status ReadColumnChunk(Reader& r, ColumnChunk& chunk) {
  SeenFields seen;
  core::Status read = r.ReadStruct([&](std::int16_t id, CompactType type) -> core::Status {
    seen.Add(id);
    switch (id) {
      case 1:
        return UnsupportedParquet("a column chunk in another file (file_path)");
      case 2:
        return ReadI64(r, type, chunk.file_offset);
      case 3:
        return ReadColumnMetaData(r, type, chunk.meta_data);
      default:
        return r.Skip(type);
    }
  });
  if (!read) return read;
  return seen.Require({3}, "ColumnChunk");
}

core::Status ReadRowGroup(Reader& r, RowGroup& group) {
  SeenFields seen;
  core::Status read = r.ReadStruct([&](std::int16_t id, CompactType type) -> core::Status {
    seen.Add(id);
    switch (id) {
      case 1:
        return ReadStructList(r, type, group.columns, ReadColumnChunk);
      case 2:
        return ReadI64(r, type, group.total_byte_size);
      case 3:
        return ReadI64(r, type, group.num_rows);
      default:
        return r.Skip(type);
    }
  });
  if (!read) return read;
  return seen.Require({1, 3}, "RowGroup");
}

core::Status ReadKeyValue(Reader& r, KeyValue& kv) {
  SeenFields seen;
  core::Status read = r.ReadStruct([&](std::int16_t id, CompactType type) -> core::Status {
    seen.Add(id);
    if (id == 1) return ReadString(r, type, kv.key);
    if (id == 2) return ReadString(r, type, kv.value);
    return r.Skip(type);
  });
  if (!read) return read;
  return seen.Require({1}, "KeyValue");
}

core::Status ReadFileMetaData(Reader& r, FileMetaData& metadata) {
  SeenFields seen;
  core::Status read = r.ReadStruct([&](std::int16_t id, CompactType type) -> core::Status {
    seen.Add(id);
    switch (id) {
      case 1:
        return ReadI32(r, type, metadata.version);
      case 2:
        return ReadStructList(r, type, metadata.schema, ReadSchemaElement);
      case 3:
        return ReadI64(r, type, metadata.num_rows);
      case 4:
        return ReadStructList(r, type, metadata.row_groups, ReadRowGroup);
      case 5:
        return ReadStructList(r, type, metadata.key_value_metadata, ReadKeyValue);
      case 6:
        return ReadString(r, type, metadata.created_by);
      default:
        return r.Skip(type);
    }
  });
  if (!read) return read;
  return seen.Require({2, 3, 4}, "FileMetaData");
}

core::Status ReadDataPageHeader(Reader& r, CompactType type, DataPageHeader& d) {
  if (core::Status s = ExpectType(type, CompactType::kStruct); !s) return s;
  SeenFields seen;
  core::Status read = r.ReadStruct([&](std::int16_t id, CompactType t) -> core::Status {
    seen.Add(id);
    switch (id) {
      case 1:
        return ReadI32(r, t, d.num_values);
      case 2:
        return ReadI32(r, t, d.encoding);
      case 3:
        return ReadI32(r, t, d.definition_level_encoding);
      case 4:
        return ReadI32(r, t, d.repetition_level_encoding);
      default:
        return r.Skip(t);
    }
  });
  if (!read) return read;
  return seen.Require({1, 2, 3, 4}, "DataPageHeader");
}

core::Status ReadDictionaryPageHeader(Reader& r, CompactType type, DictionaryPageHeader& d) {
  if (core::Status s = ExpectType(type, CompactType::kStruct); !s) return s;
  SeenFields seen;
  core::Status read = r.ReadStruct([&](std::int16_t id, CompactType t) -> core::Status {
    seen.Add(id);
    if (id == 1) return ReadI32(r, t, d.num_values);
    if (id == 2) return ReadI32(r, t, d.encoding);
    return r.Skip(t);
  });
  if (!read) return read;
  return seen.Require({1, 2}, "DictionaryPageHeader");
}

core::Status ReadPageHeader(Reader& r, PageHeader& h) {
  SeenFields seen;
  core::Status read = r.ReadStruct([&](std::int16_t id, CompactType type) -> core::Status {
    seen.Add(id);
    switch (id) {
      case 1:
        return ReadI32(r, type, h.type);
      case 2:
        return ReadI32(r, type, h.uncompressed_page_size);
      case 3:
        return ReadI32(r, type, h.compressed_page_size);
      case 5:
        return ReadDataPageHeader(r, type, h.data_page_header.emplace());
      case 7:
        return ReadDictionaryPageHeader(r, type, h.dictionary_page_header.emplace());
      default:  // crc, index and V2 page headers
        return r.Skip(type);
    }
  });
  if (!read) return read;
  return seen.Require({1, 2, 3}, "PageHeader");
}

}  // namespace

core::Result<FileMetaData> DecodeFileMetaData(std::string_view bytes) {
  Reader reader(bytes);
  FileMetaData metadata;
  metadata.type_defined_column_orders = false;  // not read back
  if (core::Status read = ReadFileMetaData(reader, metadata); !read) return read.error();
  if (reader.remaining() != 0) return MalformedParquet("bytes after the FileMetaData");
  return metadata;
}

core::Result<DecodedPageHeader> DecodePageHeader(std::string_view bytes) {
  Reader reader(bytes);
  DecodedPageHeader decoded;
  if (core::Status read = ReadPageHeader(reader, decoded.header); !read) return read.error();
  decoded.encoded_size = reader.position();
  return decoded;
}

}  // namespace dataplane::parquet
