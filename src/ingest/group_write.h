#pragma once
// Writes one group of events in one transaction with two round trips: BEGIN with a COPY into
// the connection's temporary ingest_stage table, then one libpq pipeline of prepared
// statements that registers the idempotency keys, appends the fresh events to the history,
// upserts apps, anchors and the current state of jobs and subjobs, and commits.
//
// Result: for each input event, true if it was stored now, false if its idempotency key was
// already known (an earlier write, or an earlier event of the same group). Throws
// core::Failure when the transaction fails; nothing of the group is then stored.
//
// Current state: the newest event by `at` wins; on equal times a terminal status beats
// running, then the later arrival wins. Older events still fill fields the state lacks
// (started_at, metrics, job_key) and always land in the history. Rows are locked in
// entity-id order so that concurrent groups touching the same jobs never deadlock.
#include <vector>

#include "ingest/event.h"
#include "pg/connection.h"

namespace dataplane::ingest {

//! Creates the connection's staging table; call once per new connection.
void PrepareWriterConnection(pg::Connection& conn);

std::vector<bool> WriteGroup(pg::Connection& conn, const std::vector<const Event*>& events);

}  // namespace dataplane::ingest
