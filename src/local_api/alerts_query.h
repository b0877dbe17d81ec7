#pragma once
// GET /v1/alerts: the alerts generate_alerts() wrote (timescaledb_enhancements.sql), newest
// first, for the parameters of api/alert_params.h.
// Answer: {"items":[{alert_id, created_at, kind, severity, site_id, app_id, app_name, job_id,
// message, observed, baseline, score}],"count":n}.
#include <string>

#include "api/alert_params.h"
#include "pg/connection.h"

namespace dataplane::local_api {

//! The answer as JSON text. Throws core::Failure on the database's failure.
std::string ListAlerts(pg::Connection& conn, const api::AlertFilter& filter);

}  // namespace dataplane::local_api
