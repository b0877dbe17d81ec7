#pragma once
// The reverse of column_schema.h: the ColumnSpecs of a file, rebuilt from its schema (the root,
// then one leaf per column). A leaf's ColumnType comes from its physical type and its logical
// type (or, when it has none, its legacy converted type):
//   INT64                                   kInt64
//   INT64 + TIMESTAMP(UTC, MICROS)          kTimestamp  (or converted TIMESTAMP_MICROS)
//   INT32 / DOUBLE / BOOLEAN                kInt32 / kDouble / kBoolean
//   BYTE_ARRAY + STRING / JSON              kString / kJson  (or converted UTF8 / JSON)
//   FIXED_LEN_BYTE_ARRAY(16) + UUID         kUuid
// `nullable` is OPTIONAL, and `dictionary` is always false (a property of the pages, not of the
// schema). Errors: a schema that is not a root with num_children leaves is kMalformed; a nested
// group, a REPEATED column or any other type combination is unsupported (reader_error.h).
#include <vector>

#include "core/error.h"
#include "parquet/file_writer.h"
#include "parquet/parquet_metadata.h"

namespace dataplane::parquet {

core::Result<std::vector<ColumnSpec>> ColumnsOfSchema(const std::vector<SchemaElement>& schema);

}  // namespace dataplane::parquet
