#pragma once
// How each ColumnType is stored: its physical type, its SchemaElement (repetition, type_length
// 16 for UUID, the LogicalType and the legacy converted_type where one exists) and the schema
// root. ValidateColumns throws std::logic_error for a schema the writer cannot write (no
// columns, an empty or repeated name, `dictionary` on a non-string column). Pure functions.
#include <vector>

#include "parquet/file_writer.h"
#include "parquet/parquet_metadata.h"

namespace dataplane::parquet {

PhysicalType PhysicalTypeOf(ColumnType type);
SchemaElement LeafSchemaElement(const ColumnSpec& column);
//! The root element ("schema", num_children) followed by one leaf per column.
std::vector<SchemaElement> FileSchema(const std::vector<ColumnSpec>& columns);
void ValidateColumns(const std::vector<ColumnSpec>& columns);

}  // namespace dataplane::parquet
