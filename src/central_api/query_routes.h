#pragma once
// The Central API's cross-site reads (SPEC §4): GET /v1/jobs and /v1/subjobs (merged listings,
// cross_site_list.h), GET /v1/jobs/aggregate (merged statistics, aggregate.h) and
// GET /v1/jobs/{job_id} (the job from whichever site has it). Each asks
// the chosen sites at once through the fan-out and reports them (site_answer.h).
//
// GET /v1/jobs/{job_id}: parameter `sites` only. 200 with the site's answer plus "site_id" (the
// site that has it), "partial": false and "sites" once a site has it; 404 when every site
// answered that it has no such job; 503 (retryable) when none that answered has it but some did
// not answer — the job may be on one of those.
#include "central_api/context.h"
#include "http/router.h"

namespace dataplane::central_api {

void AddQueryRoutes(http::Router& router, CentralApiContext& context);

}  // namespace dataplane::central_api
