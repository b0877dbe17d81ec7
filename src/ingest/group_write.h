#pragma once
// Writes one group of events in one transaction with three round trips: BEGIN with the
// idempotency keys registered (sent as arrays), a COPY of the fresh events into the history,
// then one libpq pipeline of prepared statements that upserts apps, anchors and the current
// state of jobs and subjobs — one row per entity, reduced in the writer (group_fold.h) — and
// commits.
//
// Result: for each input event, true if it was stored now, false if its idempotency key was
// already known (an earlier write, or an earlier event of the same group); or the failure of
// the transaction (classified as in pg/sql_failure.h), and nothing of the group is stored. A
// missing daily partition is not a failure: it is created and the group written again.
//
// Current state: the newest event by `at` wins; on equal times a terminal status beats
// running, then the later arrival wins. Older events still fill fields the state lacks
// (started_at, metrics, job_key), their metadata keys reach the state unless a newer event
// sets them, and they always land in the history. Keys and rows are locked in key and
// entity-id order so that concurrent groups touching the same jobs never deadlock.
#include <vector>

#include "core/error.h"
#include "ingest/event.h"
#include "pg/connection.h"

namespace dataplane::ingest {

//! Sets up a new writer connection (its session settings); call once per connection.
core::Status PrepareWriterConnection(pg::Connection& conn);

core::Result<std::vector<bool>> WriteGroup(pg::Connection& conn,
                                           const std::vector<const Event*>& events);

}  // namespace dataplane::ingest
