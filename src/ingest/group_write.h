#pragma once
// Writes one group of events in one transaction with two round trips: BEGIN with a COPY into
// the connection's temporary ingest_stage table, then one libpq pipeline of prepared
// statements that registers the idempotency keys, appends the fresh events to the history,
// upserts apps, anchors and the current state of jobs and subjobs, and commits.
//
// Result: for each input event, true if it was stored now, false if its idempotency key was
// already known (an earlier write, or an earlier event of the same group); or the failure of
// the transaction (classified as in pg/sql_failure.h), and nothing of the group is stored. A
// missing daily partition is not a failure: it is created and the group written again.
//
// Current state: the newest event by `at` wins; on equal times a terminal status beats
// running, then the later arrival wins. Older events still fill fields the state lacks
// (started_at, metrics, job_key) and always land in the history. Rows are locked in
// entity-id order so that concurrent groups touching the same jobs never deadlock.
#include <vector>

#include "core/error.h"
#include "ingest/event.h"
#include "pg/connection.h"

namespace dataplane::ingest {

//! Creates the connection's staging table; call once per new connection.
core::Status PrepareWriterConnection(pg::Connection& conn);

core::Result<std::vector<bool>> WriteGroup(pg::Connection& conn,
                                           const std::vector<const Event*>& events);

}  // namespace dataplane::ingest
