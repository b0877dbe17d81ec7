#include "local_api/config.h"

#include "core/service_settings.h"

namespace dataplane::local_api {

int MaxEventAgeDays(core::EnvReader& env) {
  return static_cast<int>(env.Int("MAX_EVENT_AGE_DAYS", 30, 1, 3650));
}

core::Result<LocalApiConfig> LocalApiConfig::Load(core::EnvReader& env) {
  LocalApiConfig c;
  c.database_url = env.String("DATABASE_URL", "");
  if (c.database_url.empty()) {
    env.Fail("DATABASE_URL is required (e.g. postgresql://user:pass@host:5432/db)");
  }
  c.pool_min = static_cast<int>(env.Int("DB_POOL_MIN_SIZE", 2, 0, 1000));
  c.pool_max = static_cast<int>(env.Int("DB_POOL_MAX_SIZE", 10, 1, 1000));
  if (c.pool_min > c.pool_max) env.Fail("DB_POOL_MIN_SIZE must not exceed DB_POOL_MAX_SIZE");
  const core::ServiceSettings service = core::ReadServiceSettings(env, 18000);
  c.port = service.port;
  c.bind_address = service.bind_address;
  c.log_level = service.log_level;
  c.http_threads = service.http_threads;
  c.site_id = env.String("SITE_ID", "site");
  c.cache_ttl_s = env.Double("CACHE_TTL_S", 2, 0, 3600);
  c.max_future_skew_s = env.Int("MAX_FUTURE_SKEW_S", 300, 0, 86400);
  c.max_event_age_days = MaxEventAgeDays(env);
  c.stats_refresh_interval_s =
      static_cast<int>(env.Int("STATS_REFRESH_INTERVAL_S", 60, 1, 24 * 3600));
  c.max_body_bytes =
      static_cast<std::size_t>(env.Int("MAX_BODY_BYTES", 16 << 20, 1024, std::int64_t{1} << 30));
  c.max_batch_events = static_cast<std::size_t>(env.Int("MAX_BATCH_EVENTS", 10000, 1, 1000000));
  c.ingest_writers = static_cast<int>(env.Int("INGEST_WRITERS", 2, 1, 64));
  c.ingest_group_max_events =
      static_cast<std::size_t>(env.Int("INGEST_GROUP_MAX_EVENTS", 5000, 1, 100000));
  c.ingest_group_wait_us = env.Int("INGEST_GROUP_WAIT_US", 0, 0, 1000000);
  c.ingest_queue_max_events =
      static_cast<std::size_t>(env.Int("INGEST_QUEUE_MAX_EVENTS", 50000, 1, 100000000));
  if (auto s = env.Finish(); !s) return s.error();
  return c;
}

}  // namespace dataplane::local_api
