#pragma once
// The Archiver's settings, read from the environment (SPEC §5) and validated at start: Load()
// reports every bad value in one message.
//
//   DATABASE_URL            required
//   ARCHIVE_INTERVAL_HOURS  24       the period of `dataplane archiver` (0.01..8760, fractions
//                                    allowed: `dataplane up` runs it every 0.1 h)
//   ARCHIVE_AFTER_HOURS     72       a day is archived once it ended this long ago (1..87600)
//   ARCHIVE_CODEC           zstd     zstd, snappy or none
//   ARCHIVE_RETRY_S         300      after a failed run, the next one starts this soon (1..86400)
//   S3_ENDPOINT             ""       set: archive to S3_BUCKET there (SigV4); unset: ARCHIVE_DIR
//   S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY   required with S3_ENDPOINT
//   S3_REGION               us-east-1
//   S3_PREFIX               ""       prepended to every key ("archive" → "archive/site=…")
//   ARCHIVE_DIR             var/archive   the local store's folder when S3_ENDPOINT is unset
//   ARCHIVE_STAGING_DIR     $TMPDIR or /tmp   where parts are staged before an S3 upload
//   ARCHIVER_METRICS_PORT   19200    where `dataplane archiver` serves /metrics (0: nowhere)
//   ARCHIVER_BIND_ADDRESS   0.0.0.0
//   LOG_LEVEL               INFO
#include <chrono>
#include <memory>
#include <string>

#include "archiver/archiver_run.h"
#include "archiver/object_store.h"
#include "core/env_reader.h"
#include "core/error.h"
#include "core/log.h"
#include "s3/client_options.h"

namespace dataplane::archiver {

struct ArchiverConfig {
  std::string database_url;
  std::chrono::milliseconds interval{std::chrono::hours(24)};
  std::chrono::seconds retry_after{300};
  ArchiverSettings run;
  bool use_s3 = false;
  s3::S3ClientOptions s3;
  std::string archive_dir = "var/archive";
  std::string staging_dir = "/tmp";
  core::LogLevel log_level = core::LogLevel::kInfo;
  int metrics_port = 19200;
  std::string bind_address = "0.0.0.0";

  static core::Result<ArchiverConfig> Load(core::EnvReader& env);
};

//! The store the settings name: the S3 bucket, or the local folder (created when missing).
core::Result<std::unique_ptr<ObjectStore>> OpenStore(const ArchiverConfig& config);

//! ARCHIVE_CODEC's values: zstd, snappy, none.
core::Result<parquet::Codec> ParseCodec(const std::string& text);

}  // namespace dataplane::archiver
