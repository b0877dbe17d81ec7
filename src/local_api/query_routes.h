#pragma once
// GET /v1/jobs, GET /v1/subjobs, GET /v1/jobs/{job_id} (SPEC §3). Parameters are validated on
// the I/O thread (422 naming the parameter); the query runs on the blocking pool with a
// pooled connection (503 + Retry-After when the database is unreachable).
#include "http/router.h"
#include "local_api/context.h"

namespace dataplane::local_api {

void AddQueryRoutes(http::Router& router, LocalApiContext& context);

}  // namespace dataplane::local_api
