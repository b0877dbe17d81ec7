#include "archiver/archiver_config.h"

#include "archiver/local_object_store.h"
#include "archiver/object_key.h"
#include "archiver/s3_object_store.h"
#include "s3/s3_client.h"

namespace dataplane::archiver {
namespace {

void LoadStore(core::EnvReader& env, ArchiverConfig& config) {
  config.s3.endpoint = env.String("S3_ENDPOINT", "");
  config.use_s3 = !config.s3.endpoint.empty();
  config.s3.bucket = env.String("S3_BUCKET", "");
  config.s3.access_key = env.String("S3_ACCESS_KEY", "");
  config.s3.secret_key = env.String("S3_SECRET_KEY", "");
  config.s3.region = env.String("S3_REGION", "us-east-1");
  config.run.export_settings.prefix = NormalizePrefix(env.String("S3_PREFIX", ""));
  config.archive_dir = env.String("ARCHIVE_DIR", "var/archive");
  const char* tmp = std::getenv("TMPDIR");
  config.staging_dir = env.String("ARCHIVE_STAGING_DIR", tmp && *tmp ? tmp : "/tmp");
  if (!config.use_s3) return;
  for (const auto& [name, value] :
       {std::pair{"S3_BUCKET", config.s3.bucket}, std::pair{"S3_ACCESS_KEY", config.s3.access_key},
        std::pair{"S3_SECRET_KEY", config.s3.secret_key}}) {
    if (value.empty()) env.Fail(std::string(name) + " must be set when S3_ENDPOINT is");
  }
}

}  // namespace

core::Result<parquet::Codec> ParseCodec(const std::string& text) {
  if (text == "zstd") return parquet::Codec::kZstd;
  if (text == "snappy") return parquet::Codec::kSnappy;
  if (text == "none") return parquet::Codec::kUncompressed;
  return core::Error::Invalid("invalid_codec", "ARCHIVE_CODEC",
                              "ARCHIVE_CODEC must be zstd, snappy or none, got '" + text + "'");
}

core::Result<ArchiverConfig> ArchiverConfig::Load(core::EnvReader& env) {
  ArchiverConfig config;
  config.database_url = env.String("DATABASE_URL", "");
  if (config.database_url.empty()) env.Fail("DATABASE_URL must be set");
  config.interval = std::chrono::milliseconds(
      static_cast<std::int64_t>(env.Double("ARCHIVE_INTERVAL_HOURS", 24, 0.01, 8760) * 3'600'000));
  config.metrics_port = static_cast<int>(env.Int("ARCHIVER_METRICS_PORT", 19200, 0, 65535));
  config.bind_address = env.String("ARCHIVER_BIND_ADDRESS", "0.0.0.0");
  config.run.archive_after = std::chrono::hours(env.Int("ARCHIVE_AFTER_HOURS", 72, 1, 87600));
  config.retry_after = std::chrono::seconds(env.Int("ARCHIVE_RETRY_S", 300, 1, 86400));
  config.run.export_settings.streams = static_cast<int>(env.Int("ARCHIVE_EXPORT_STREAMS", 2, 1, 8));
  auto codec = ParseCodec(env.String("ARCHIVE_CODEC", "zstd"));
  if (codec) {
    config.run.export_settings.codec = *codec;
  } else {
    env.Fail(codec.error().message);
  }
  auto level = core::ParseLogLevel(env.String("LOG_LEVEL", "INFO"));
  if (level) {
    config.log_level = *level;
  } else {
    env.Fail(level.error().message);
  }
  LoadStore(env, config);
  if (core::Status finished = env.Finish(); !finished) return finished.error();
  return config;
}

core::Result<std::unique_ptr<ObjectStore>> OpenStore(const ArchiverConfig& config) {
  if (!config.use_s3) {
    auto local = LocalObjectStore::Open(config.archive_dir);
    if (!local) return local.error();
    return std::unique_ptr<ObjectStore>(std::move(*local));
  }
  auto client = s3::S3Client::Create(config.s3);
  if (!client) return client.error();
  return std::unique_ptr<ObjectStore>(
      std::make_unique<S3ObjectStore>(std::move(*client), config.staging_dir));
}

}  // namespace dataplane::archiver
