#pragma once
// What the Local API's handlers share. Owned by LocalApi; handlers hold references, so it
// outlives the HTTP server.
#include <boost/asio/thread_pool.hpp>

#include "ingest/event_parser.h"
#include "ingest/ingest_writer.h"
#include "local_api/config.h"
#include "local_api/health_monitor.h"
#include "local_api/query_cache.h"
#include "local_api/query_flights.h"
#include "metrics/scope.h"
#include "pg/database_backend.h"
#include "pg/pool.h"

namespace dataplane::local_api {

struct LocalApiContext {
  const LocalApiConfig& config;
  metrics::Scope metrics;  // service="local_api" (or what the command chose)
  pg::Pool& pool;
  boost::asio::thread_pool& blocking;  // runs libpq calls for queries, sized to the pool
  ingest::IngestWriter& writer;
  HealthMonitor& health;
  QueryCache& cache;
  QueryFlights& flights;               // the cache's misses, computed once per key and generation
  const pg::DatabaseBackend& backend;  // read once at start: the storage does not change
  ingest::ValidationLimits limits;
};

}  // namespace dataplane::local_api
