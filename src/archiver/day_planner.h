#pragma once
// Which (table, day)s a run archives: the days of the table's partitions (PostgreSQL: the
// children named {table}_pYYYYMMDD) or chunks (TimescaleDB) that ended at or before the cutoff
// (now - ARCHIVE_AFTER_HOURS), that still hold a leaving row (archived_table.h), and that no
// archive_hold keeps hot (a restored day, until its hold_until). Oldest first.
#include <vector>

#include "archiver/archive_day.h"
#include "archiver/archived_table.h"
#include "archiver/day_removal.h"
#include "core/error.h"
#include "pg/connection.h"

namespace dataplane::archiver {

core::Result<std::vector<ArchiveDay>> PlanDays(pg::Connection& conn, const ArchivedTable& table,
                                               Backend backend, core::Micros cutoff);

//! The days of `table` that have a partition or chunk, ended or not (oldest first).
core::Result<std::vector<ArchiveDay>> StoredDays(pg::Connection& conn, const ArchivedTable& table,
                                                 Backend backend);

}  // namespace dataplane::archiver
