#include "parquet/column_schema.h"

#include <set>
#include <stdexcept>
#include <string>

namespace dataplane::parquet {

PhysicalType PhysicalTypeOf(ColumnType type) {
  switch (type) {
    case ColumnType::kInt64:
    case ColumnType::kTimestamp:
      return PhysicalType::kInt64;
    case ColumnType::kInt32:
      return PhysicalType::kInt32;
    case ColumnType::kDouble:
      return PhysicalType::kDouble;
    case ColumnType::kBoolean:
      return PhysicalType::kBoolean;
    case ColumnType::kString:
    case ColumnType::kJson:
      return PhysicalType::kByteArray;
    case ColumnType::kUuid:
      return PhysicalType::kFixedLenByteArray;
  }
  throw std::logic_error("parquet: unknown column type");
}

SchemaElement LeafSchemaElement(const ColumnSpec& column) {
  SchemaElement e;
  e.type = PhysicalTypeOf(column.type);
  e.repetition_type = column.nullable ? Repetition::kOptional : Repetition::kRequired;
  e.name = column.name;
  switch (column.type) {
    case ColumnType::kString:
      e.converted_type = ConvertedType::kUtf8;
      e.logical_type = LogicalKind::kString;
      break;
    case ColumnType::kJson:
      e.converted_type = ConvertedType::kJson;
      e.logical_type = LogicalKind::kJson;
      break;
    case ColumnType::kTimestamp:
      e.converted_type = ConvertedType::kTimestampMicros;
      e.logical_type = LogicalKind::kTimestampMicrosUtc;
      break;
    case ColumnType::kUuid:
      e.type_length = 16;  // UUID has no converted type
      e.logical_type = LogicalKind::kUuid;
      break;
    case ColumnType::kInt64:
    case ColumnType::kInt32:
    case ColumnType::kDouble:
    case ColumnType::kBoolean:
      break;
  }
  return e;
}

std::vector<SchemaElement> FileSchema(const std::vector<ColumnSpec>& columns) {
  std::vector<SchemaElement> schema;
  SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<std::int32_t>(columns.size());
  schema.push_back(std::move(root));
  for (const ColumnSpec& column : columns) schema.push_back(LeafSchemaElement(column));
  return schema;
}

void ValidateColumns(const std::vector<ColumnSpec>& columns) {
  if (columns.empty()) throw std::logic_error("parquet: a file needs at least one column");
  std::set<std::string> names;
  for (const ColumnSpec& column : columns) {
    if (column.name.empty()) throw std::logic_error("parquet: a column needs a name");
    if (!names.insert(column.name).second) {
      throw std::logic_error("parquet: column name used twice: " + column.name);
    }
    if (column.bloom_filter &&
        (column.type == ColumnType::kBoolean || column.type == ColumnType::kDouble)) {
      throw std::logic_error("parquet: no Bloom filter for a boolean or double column: " +
                             column.name);
    }
    if (column.dictionary && column.type != ColumnType::kString) {
      throw std::logic_error("parquet: dictionary encoding is for string columns: " + column.name);
    }
  }
}

}  // namespace dataplane::parquet
