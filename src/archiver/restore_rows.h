#pragma once
// Archived rows back into the database's form: the rows of one Parquet row group
// (parquet/file_reader.h) as PostgreSQL binary COPY rows (pg/binary_copy.h) in a hot table's
// column order (table_columns.h), the reverse of the export's mapping:
//   STRING -> text, JSON -> jsonb, UUID -> uuid, TIMESTAMP -> timestamptz, DOUBLE -> double
//   precision, INT64 -> bigint or integer (a value outside integer's range is refused),
//   BOOLEAN -> boolean.
//
// Columns are matched by name, so a part written under an earlier schema restores into today's
// table: a table column the file lacks is restored as NULL (refused when it is NOT NULL), a file
// column the table lacks, or one whose type is not the one the table's column archives to, is
// refused (kInternal, naming the column). A NULL in a NOT NULL column is left to the server,
// which refuses the COPY as a whole. Pure functions.
#include <vector>

#include "archiver/table_columns.h"
#include "core/error.h"
#include "parquet/file_reader.h"
#include "pg/binary_copy.h"

namespace dataplane::archiver {

//! For each column of `layout`, the index of the file's column of that name, or -1.
core::Result<std::vector<int>> MatchFileColumns(const TableLayout& layout,
                                                const std::vector<parquet::ColumnSpec>& file);

//! Appends every row of `group` to `out`, one field per column of `layout`.
core::Status AppendRestoredRows(const TableLayout& layout, const std::vector<int>& file_columns,
                                const parquet::RowGroupData& group, pg::BinaryCopy& out);

}  // namespace dataplane::archiver
