#pragma once
// The columns of a hot table as the archive stores them, read from the catalog (so a column
// added by a later schema is archived without a code change) and mapped to Parquet:
//   text -> STRING (dictionary where ArchivedTable says), timestamptz -> TIMESTAMP(MICROS, UTC),
//   uuid -> UUID, double precision -> DOUBLE, integer and bigint -> INT64, jsonb -> JSON,
//   boolean -> BOOLEAN; NOT NULL columns are REQUIRED, the others OPTIONAL.
// A column of any other type is refused (kInternal, naming it): the archive would not be able
// to restore it exactly.
#include <string>
#include <string_view>
#include <vector>

#include "archiver/archived_table.h"
#include "core/error.h"
#include "parquet/file_writer.h"
#include "pg/connection.h"

namespace dataplane::archiver {

enum class SqlType { kText, kTimestampTz, kUuid, kFloat8, kInt4, kInt8, kJsonb, kBool };

struct TableColumn {
  std::string name;
  SqlType type = SqlType::kText;
  bool not_null = false;
};

struct TableLayout {
  std::vector<TableColumn> columns;        // in the table's column order
  std::vector<parquet::ColumnSpec> specs;  // the same columns as Parquet columns
  //! The index in `columns` of site_id, of the time column, and of event_count (state tables;
  //! -1 for event).
  int site_column = -1;
  int time_column = -1;
  int event_count_column = -1;
};

//! Reads `table`'s columns from pg_attribute.
core::Result<TableLayout> ReadTableLayout(pg::Connection& conn, const ArchivedTable& table);

//! A column name as a quoted SQL identifier ("name", inner quotes doubled).
std::string QuoteIdentifier(std::string_view name);

//! "col1, col2, …", each quoted, in layout order.
std::string SelectList(const TableLayout& layout);

//! The SqlType of a catalog type name (format_type output), or an error naming it.
core::Result<SqlType> SqlTypeOf(const std::string& type_name);

}  // namespace dataplane::archiver
