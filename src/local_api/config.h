#pragma once
// The Local API's settings, read from the environment (SPEC §5 names plus PORT and SITE_ID)
// and validated at start: Load() reports every bad value in one message.
//
//   DATABASE_URL          required (`dataplane up` sets it for its private cluster)
//   DB_POOL_MIN_SIZE      2        DB_POOL_MAX_SIZE   10       (query connections)
//   PORT                  18000    SITE_ID            "site"   LOG_LEVEL  INFO
//   HTTP_THREADS          nproc    CACHE_TTL_S        2        (0 turns the query cache off)
//   MAX_FUTURE_SKEW_S     300      MAX_EVENT_AGE_DAYS 30
//   MAX_BODY_BYTES        16 MiB   MAX_BATCH_EVENTS   10000
//   INGEST_WRITERS        2        INGEST_GROUP_MAX_EVENTS 5000
//   INGEST_GROUP_WAIT_US  0        INGEST_QUEUE_MAX_EVENTS 50000
//   STATS_REFRESH_INTERVAL_S 60    (job statistics refresh; see maintenance_scheduler.h)
#include <cstdint>
#include <string>

#include "core/env_reader.h"
#include "core/log.h"

namespace dataplane::local_api {

//! MAX_EVENT_AGE_DAYS (1..3650, default 30): also what `db maintain` keeps partitions for.
int MaxEventAgeDays(core::EnvReader& env);

struct LocalApiConfig {
  std::string database_url;
  int pool_min = 2;
  int pool_max = 10;
  int port = 18000;
  std::string bind_address = "0.0.0.0";
  std::string site_id = "site";
  core::LogLevel log_level = core::LogLevel::kInfo;
  int http_threads = 2;
  double cache_ttl_s = 2;
  std::int64_t max_future_skew_s = 300;
  int max_event_age_days = 30;
  std::size_t max_body_bytes = 16 * 1024 * 1024;
  std::size_t max_batch_events = 10000;
  int ingest_writers = 2;
  std::size_t ingest_group_max_events = 5000;
  std::int64_t ingest_group_wait_us = 0;
  std::size_t ingest_queue_max_events = 50000;
  int stats_refresh_interval_s = 60;

  //! Reads and validates every setting; the error names each bad one.
  static core::Result<LocalApiConfig> Load(core::EnvReader& env);
};

}  // namespace dataplane::local_api
