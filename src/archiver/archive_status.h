#pragma once
// `dataplane archiver --status`: what the archive holds and how the archiver is doing, as one
// JSON object read from the database —
//   {"last_run": {...} | null, "last_success": "<time>" | null,
//    "failed_runs_since_success": n,
//    "tables": {"event": {"objects", "rows", "bytes", "oldest_day", "newest_day",
//                         "pending_days", "oldest_pending_day"}, "job": …, "subjob": …},
//    "holds": [{"table", "day", "hold_until"}]}
// `pending_days` counts the days the next run would archive (day_planner.h) at `now`.
#include <boost/json.hpp>

#include "archiver/archiver_run.h"
#include "core/error.h"
#include "pg/connection.h"

namespace dataplane::archiver {

core::Result<boost::json::object> ReadArchiveStatus(pg::Connection& conn,
                                                    const ArchiverSettings& settings,
                                                    core::Micros now);

}  // namespace dataplane::archiver
