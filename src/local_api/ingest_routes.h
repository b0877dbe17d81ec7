#pragma once
// POST /v1/event, POST /v1/events/batch and their original aliases (/v1/ingest/events,
// /v1/ingest/events:batch). Parsing and validation run on the I/O thread; valid events go to
// the group-commit writer and the answer is sent after COMMIT (SPEC §2).
#include "http/router.h"
#include "local_api/context.h"

namespace dataplane::local_api {

void AddIngestRoutes(http::Router& router, LocalApiContext& context);

}  // namespace dataplane::local_api
