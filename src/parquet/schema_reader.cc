#include "parquet/schema_reader.h"

#include <optional>
#include <string>

#include "parquet/reader_error.h"

namespace dataplane::parquet {
namespace {

constexpr auto kRepeated = static_cast<Repetition>(2);

// The logical type a leaf declares, from its converted type when it has no logical type.
core::Result<LogicalKind> LogicalKindOf(const SchemaElement& e) {
  if (e.logical_type != LogicalKind::kNone || !e.converted_type) return e.logical_type;
  switch (*e.converted_type) {
    case ConvertedType::kUtf8:
      return LogicalKind::kString;
    case ConvertedType::kJson:
      return LogicalKind::kJson;
    case ConvertedType::kTimestampMicros:
      return LogicalKind::kTimestampMicrosUtc;
  }
  return UnsupportedParquet("column '" + e.name + "': converted type " +
                            std::to_string(static_cast<int>(*e.converted_type)));
}

std::optional<ColumnType> ColumnTypeOf(PhysicalType physical, LogicalKind logical,
                                       std::optional<std::int32_t> type_length) {
  switch (physical) {
    case PhysicalType::kInt64:
      if (logical == LogicalKind::kNone) return ColumnType::kInt64;
      if (logical == LogicalKind::kTimestampMicrosUtc) return ColumnType::kTimestamp;
      break;
    case PhysicalType::kInt32:
      if (logical == LogicalKind::kNone) return ColumnType::kInt32;
      break;
    case PhysicalType::kDouble:
      if (logical == LogicalKind::kNone) return ColumnType::kDouble;
      break;
    case PhysicalType::kBoolean:
      if (logical == LogicalKind::kNone) return ColumnType::kBoolean;
      break;
    case PhysicalType::kByteArray:
      if (logical == LogicalKind::kString) return ColumnType::kString;
      if (logical == LogicalKind::kJson) return ColumnType::kJson;
      break;
    case PhysicalType::kFixedLenByteArray:
      if (logical == LogicalKind::kUuid && type_length == 16) return ColumnType::kUuid;
      break;
  }
  return std::nullopt;
}

core::Result<ColumnSpec> ColumnOfLeaf(const SchemaElement& e) {
  if (e.num_children || !e.type) return UnsupportedParquet("nested column '" + e.name + "'");
  if (!e.repetition_type) return MalformedParquet("column '" + e.name + "' lacks a repetition");
  if (*e.repetition_type == kRepeated) {
    return UnsupportedParquet("repeated column '" + e.name + "'");
  }
  if (*e.repetition_type != Repetition::kRequired && *e.repetition_type != Repetition::kOptional) {
    return MalformedParquet("column '" + e.name + "' has an unknown repetition");
  }
  core::Result<LogicalKind> logical = LogicalKindOf(e);
  if (!logical) return logical.error();
  const std::optional<ColumnType> type = ColumnTypeOf(*e.type, *logical, e.type_length);
  if (!type) {
    return UnsupportedParquet("column '" + e.name + "' of physical type " +
                              std::to_string(static_cast<int>(*e.type)) + " and logical type " +
                              std::to_string(static_cast<int>(*logical)));
  }
  return ColumnSpec{e.name, *type, *e.repetition_type == Repetition::kOptional, false};
}

}  // namespace

core::Result<std::vector<ColumnSpec>> ColumnsOfSchema(const std::vector<SchemaElement>& schema) {
  if (schema.empty()) return MalformedParquet("an empty schema");
  const SchemaElement& root = schema.front();
  if (root.type || !root.num_children || *root.num_children <= 0) {
    return MalformedParquet("the schema root is not a group of columns");
  }
  std::vector<ColumnSpec> columns;
  columns.reserve(schema.size() - 1);
  for (std::size_t i = 1; i < schema.size(); ++i) {
    core::Result<ColumnSpec> column = ColumnOfLeaf(schema[i]);
    if (!column) return column.error();
    columns.push_back(std::move(*column));
  }
  if (static_cast<std::size_t>(*root.num_children) != columns.size()) {
    return MalformedParquet("the schema root counts " + std::to_string(*root.num_children) +
                            " columns for " + std::to_string(columns.size()) + " leaves");
  }
  return columns;
}

}  // namespace dataplane::parquet
