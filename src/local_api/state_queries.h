#pragma once
// The read side of the Local API: current states of jobs and subjobs, and one job's detail.
// Blocking (libpq); call through RunBlocking on a pooled connection. Every query is
// parameterized; ordering is (last_event_at DESC, id DESC), the keyset the cursor encodes,
// served by the (…, last_event_at DESC, id DESC) indexes of schema.sql.
#include <optional>
#include <string>

#include "api/list_filter.h"
#include "pg/connection.h"

namespace dataplane::local_api {

//! {"items":[…],"count":n,"next_cursor":"…"|null} as JSON text, written row by row.
std::string ListStates(pg::Connection& conn, api::ListKind kind, const api::ListFilter& filter);

//! The job's current state with "subjobs" and "timeline" (its events and its subjobs' events,
//! oldest first); nullopt when no job has this id.
std::optional<std::string> GetJobDetail(pg::Connection& conn, const std::string& job_id);

}  // namespace dataplane::local_api
