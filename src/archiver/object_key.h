#pragma once
// Where an archived part lives in the store (SPEC §5), Hive style so that DuckDB, Spark, Trino
// and pandas read the tree as a table partitioned by site, table and date:
//   {prefix}site={site}/table={table}/date=YYYY-MM-DD/part-NNNN.parquet
// The key is a function of (site, table, day, part number) only, so a retried upload of the same
// part overwrites the same object. A site id is written as Hive writes partition values: bytes
// outside [A-Za-z0-9._-] as %XX (so '/', '=' and '%' cannot break the layout); readers decode it.
// `prefix` is S3_PREFIX as configured: empty, or ending in '/' (added when missing).
#include <string>
#include <string_view>

#include "archiver/archive_day.h"

namespace dataplane::archiver {

//! "{prefix}site=S/table=T/date=D/" — the folder of one day's parts.
std::string DayFolder(std::string_view prefix, std::string_view site, std::string_view table,
                      ArchiveDay day);
//! DayFolder + "part-NNNN.parquet" (at least four digits).
std::string PartKey(std::string_view prefix, std::string_view site, std::string_view table,
                    ArchiveDay day, int part);
//! S3_PREFIX as the layout uses it: "" stays "", "/" becomes "", anything else ends in exactly one
//! '/'.
std::string NormalizePrefix(std::string_view prefix);
//! A Hive partition value: [A-Za-z0-9._-] as is, every other byte %XX (upper-case hex).
std::string EscapePartitionValue(std::string_view value);

}  // namespace dataplane::archiver
