#include "parquet/parquet_metadata.h"

#include "parquet/thrift_compact_writer.h"

namespace dataplane::parquet {
namespace {

template <typename Enum>
std::int32_t Wire(Enum value) {
  return static_cast<std::int32_t>(value);
}

// Each Write* below writes the fields of an already opened struct; the caller opens it with
// FieldStruct (a field) or BeginStruct (a list element or the top level) and closes it.

void WriteEmptyStructField(std::int16_t id, ThriftCompactWriter& w) {
  w.FieldStruct(id);
  w.EndStruct();
}

void WriteStatistics(const Statistics& stats, ThriftCompactWriter& w) {
  if (stats.null_count) w.FieldI64(3, *stats.null_count);
  if (stats.max_value) w.FieldBinary(5, *stats.max_value);
  if (stats.min_value) w.FieldBinary(6, *stats.min_value);
}

// LogicalType is a union: exactly one member, an empty struct except for TIMESTAMP.
void WriteLogicalType(LogicalKind kind, ThriftCompactWriter& w) {
  switch (kind) {
    case LogicalKind::kNone:
      break;
    case LogicalKind::kString:
      WriteEmptyStructField(1, w);
      break;
    case LogicalKind::kJson:
      WriteEmptyStructField(12, w);
      break;
    case LogicalKind::kUuid:
      WriteEmptyStructField(14, w);
      break;
    case LogicalKind::kTimestampMicrosUtc:
      w.FieldStruct(8);             // TimestampType
      w.FieldBool(1, true);         // isAdjustedToUTC
      w.FieldStruct(2);             // unit: the TimeUnit union
      WriteEmptyStructField(2, w);  // MICROS
      w.EndStruct();
      w.EndStruct();
      break;
  }
}

void WriteSchemaElement(const SchemaElement& e, ThriftCompactWriter& w) {
  if (e.type) w.FieldI32(1, Wire(*e.type));
  if (e.type_length) w.FieldI32(2, *e.type_length);
  if (e.repetition_type) w.FieldI32(3, Wire(*e.repetition_type));
  w.FieldBinary(4, e.name);
  if (e.num_children) w.FieldI32(5, *e.num_children);
  if (e.converted_type) w.FieldI32(6, Wire(*e.converted_type));
  if (e.logical_type != LogicalKind::kNone) {
    w.FieldStruct(10);
    WriteLogicalType(e.logical_type, w);
    w.EndStruct();
  }
}

void WriteColumnMetaData(const ColumnMetaData& m, ThriftCompactWriter& w) {
  w.FieldI32(1, Wire(m.type));
  w.FieldList(2, CompactType::kI32, m.encodings.size());
  for (Encoding e : m.encodings) w.ListI32(Wire(e));
  w.FieldList(3, CompactType::kBinary, m.path_in_schema.size());
  for (const std::string& part : m.path_in_schema) w.ListBinary(part);
  w.FieldI32(4, Wire(m.codec));
  w.FieldI64(5, m.num_values);
  w.FieldI64(6, m.total_uncompressed_size);
  w.FieldI64(7, m.total_compressed_size);
  w.FieldI64(9, m.data_page_offset);
  if (m.dictionary_page_offset) w.FieldI64(11, *m.dictionary_page_offset);
  w.FieldStruct(12);
  WriteStatistics(m.statistics, w);
  w.EndStruct();
  if (m.bloom_filter_offset) w.FieldI64(14, *m.bloom_filter_offset);
  if (m.bloom_filter_length) w.FieldI32(15, *m.bloom_filter_length);
}

void WriteRowGroup(const RowGroup& g, ThriftCompactWriter& w) {
  w.FieldList(1, CompactType::kStruct, g.columns.size());
  for (const ColumnChunk& chunk : g.columns) {
    w.BeginStruct();
    w.FieldI64(2, chunk.file_offset);
    w.FieldStruct(3);
    WriteColumnMetaData(chunk.meta_data, w);
    w.EndStruct();
    if (chunk.offset_index_offset) w.FieldI64(4, *chunk.offset_index_offset);
    if (chunk.offset_index_length) w.FieldI32(5, *chunk.offset_index_length);
    if (chunk.column_index_offset) w.FieldI64(6, *chunk.column_index_offset);
    if (chunk.column_index_length) w.FieldI32(7, *chunk.column_index_length);
    w.EndStruct();
  }
  w.FieldI64(2, g.total_byte_size);
  w.FieldI64(3, g.num_rows);
  w.FieldI64(5, g.file_offset);
  w.FieldI64(6, g.total_compressed_size);
}

void WriteKeyValues(const std::vector<KeyValue>& pairs, ThriftCompactWriter& w) {
  w.FieldList(5, CompactType::kStruct, pairs.size());
  for (const KeyValue& kv : pairs) {
    w.BeginStruct();
    w.FieldBinary(1, kv.key);
    w.FieldBinary(2, kv.value);
    w.EndStruct();
  }
}

void WriteColumnOrders(std::size_t leaves, ThriftCompactWriter& w) {
  w.FieldList(7, CompactType::kStruct, leaves);
  for (std::size_t i = 0; i < leaves; ++i) {
    w.BeginStruct();              // the ColumnOrder union
    WriteEmptyStructField(1, w);  // TYPE_ORDER: TypeDefinedOrder {}
    w.EndStruct();
  }
}

}  // namespace

std::string SerializePageHeader(const PageHeader& header) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldI32(1, Wire(header.type));
  w.FieldI32(2, header.uncompressed_page_size);
  w.FieldI32(3, header.compressed_page_size);
  if (header.data_page_header) {
    const DataPageHeader& d = *header.data_page_header;
    w.FieldStruct(5);
    w.FieldI32(1, d.num_values);
    w.FieldI32(2, Wire(d.encoding));
    w.FieldI32(3, Wire(d.definition_level_encoding));
    w.FieldI32(4, Wire(d.repetition_level_encoding));
    w.EndStruct();
  }
  if (header.dictionary_page_header) {
    const DictionaryPageHeader& d = *header.dictionary_page_header;
    w.FieldStruct(7);
    w.FieldI32(1, d.num_values);
    w.FieldI32(2, Wire(d.encoding));
    w.EndStruct();
  }
  w.EndStruct();
  return w.Take();
}

std::string SerializeFileMetaData(const FileMetaData& metadata) {
  ThriftCompactWriter w;
  w.BeginStruct();
  w.FieldI32(1, metadata.version);
  w.FieldList(2, CompactType::kStruct, metadata.schema.size());
  for (const SchemaElement& e : metadata.schema) {
    w.BeginStruct();
    WriteSchemaElement(e, w);
    w.EndStruct();
  }
  w.FieldI64(3, metadata.num_rows);
  w.FieldList(4, CompactType::kStruct, metadata.row_groups.size());
  for (const RowGroup& g : metadata.row_groups) {
    w.BeginStruct();
    WriteRowGroup(g, w);
    w.EndStruct();
  }
  if (!metadata.key_value_metadata.empty()) WriteKeyValues(metadata.key_value_metadata, w);
  w.FieldBinary(6, metadata.created_by);
  if (metadata.type_defined_column_orders && !metadata.schema.empty()) {
    WriteColumnOrders(metadata.schema.size() - 1, w);
  }
  w.EndStruct();
  return w.Take();
}

}  // namespace dataplane::parquet
