// Tests of configuration reading: defaults, valid values, and that every bad value is collected
// and named in one message.
#include "core/env_reader.h"

#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace dataplane::core {
namespace {

// An EnvReader over a fixed map instead of the process environment.
EnvReader ReaderOver(std::map<std::string, std::string> vars) {
  return EnvReader([vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

TEST(EnvReaderTest, UnsetValuesGiveTheFallbacks) {
  EnvReader env = ReaderOver({});
  EXPECT_EQ(env.Optional("LOG_LEVEL"), std::nullopt);
  EXPECT_EQ(env.String("LOG_LEVEL", "info"), "info");
  EXPECT_EQ(env.Int("PORT", 18000, 1, 65535), 18000);
  EXPECT_DOUBLE_EQ(env.Double("SITE_TIMEOUT_S", 2.0, 0.001, 600), 2.0);
  EXPECT_TRUE(env.Finish().ok());
}

TEST(EnvReaderTest, ValidValuesAreRead) {
  EnvReader env = ReaderOver({{"LOG_LEVEL", "debug"},
                              {"PORT", "8080"},
                              {"MIN", "1"},
                              {"MAX", "65535"},
                              {"NEG", "-5"},
                              {"SITE_TIMEOUT_S", "0.25"},
                              {"EXP", "1e3"},
                              {"WHOLE", "7"}});
  EXPECT_EQ(env.Optional("LOG_LEVEL"), "debug");
  EXPECT_EQ(env.String("LOG_LEVEL", "info"), "debug");
  EXPECT_EQ(env.Int("PORT", 18000, 1, 65535), 8080);
  EXPECT_EQ(env.Int("MIN", 5, 1, 65535), 1);
  EXPECT_EQ(env.Int("MAX", 5, 1, 65535), 65535);
  EXPECT_EQ(env.Int("NEG", 0, -10, 10), -5);
  EXPECT_DOUBLE_EQ(env.Double("SITE_TIMEOUT_S", 2.0, 0.001, 600), 0.25);
  EXPECT_DOUBLE_EQ(env.Double("EXP", 0, 0, 1e6), 1000.0);
  EXPECT_DOUBLE_EQ(env.Double("WHOLE", 0, 0, 10), 7.0);
  EXPECT_TRUE(env.Finish().ok());
}

TEST(EnvReaderTest, EmptyStringIsTreatedAsUnset) {
  EnvReader env = ReaderOver({{"LOG_LEVEL", ""}, {"PORT", ""}, {"SITE_TIMEOUT_S", ""}});
  EXPECT_EQ(env.Optional("LOG_LEVEL"), std::nullopt);
  EXPECT_EQ(env.String("LOG_LEVEL", "info"), "info");
  EXPECT_EQ(env.Int("PORT", 18000, 1, 65535), 18000);
  EXPECT_DOUBLE_EQ(env.Double("SITE_TIMEOUT_S", 2.0, 0.001, 600), 2.0);
  EXPECT_TRUE(env.Finish().ok());
}

TEST(EnvReaderTest, EveryBadValueIsNamedInOneMessage) {
  EnvReader env = ReaderOver({{"PORT", "abc"},
                              {"DB_POOL_MAX_SIZE", "0"},
                              {"DB_POOL_MIN_SIZE", "12x"},
                              {"CACHE_TTL_S", "-1"},
                              {"SITE_TIMEOUT_S", "fast"},
                              {"RATIO", "nan"},
                              {"OK_INT", "3"}});
  // Each bad value falls back to the default so that start-up can report everything at once.
  EXPECT_EQ(env.Int("PORT", 18000, 1, 65535), 18000);
  EXPECT_EQ(env.Int("DB_POOL_MAX_SIZE", 10, 1, 1000), 10);
  EXPECT_EQ(env.Int("DB_POOL_MIN_SIZE", 1, 0, 1000), 1);
  EXPECT_EQ(env.Int("OK_INT", 0, 0, 10), 3);
  EXPECT_DOUBLE_EQ(env.Double("CACHE_TTL_S", 2.0, 0, 3600), 2.0);
  EXPECT_DOUBLE_EQ(env.Double("SITE_TIMEOUT_S", 2.0, 0.001, 600), 2.0);
  EXPECT_DOUBLE_EQ(env.Double("RATIO", 0.5, 0, 1), 0.5);

  const Status status = env.Finish();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(status.error().code, "invalid_configuration");
  const std::string& message = status.error().message;
  EXPECT_NE(message.find("PORT must be an integer in 1..65535, got 'abc'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("DB_POOL_MAX_SIZE"), std::string::npos) << message;
  EXPECT_NE(message.find("got '0'"), std::string::npos) << message;
  EXPECT_NE(message.find("DB_POOL_MIN_SIZE"), std::string::npos) << message;
  EXPECT_NE(message.find("got '12x'"), std::string::npos) << message;
  EXPECT_NE(message.find("CACHE_TTL_S"), std::string::npos) << message;
  EXPECT_NE(message.find("got '-1'"), std::string::npos) << message;
  EXPECT_NE(message.find("SITE_TIMEOUT_S"), std::string::npos) << message;
  EXPECT_NE(message.find("got 'fast'"), std::string::npos) << message;
  EXPECT_NE(message.find("RATIO"), std::string::npos) << message;
  EXPECT_EQ(message.find("OK_INT"), std::string::npos) << message;
}

TEST(EnvReaderTest, OutOfRangeAndNonIntegerForms) {
  for (const char* text :
       {"65536", "0", " 80", "80 ", "8.0", "+80", "0x50", "99999999999999999999"}) {
    EnvReader env = ReaderOver({{"PORT", text}});
    EXPECT_EQ(env.Int("PORT", 18000, 1, 65535), 18000) << text;
    EXPECT_FALSE(env.Finish().ok()) << text;
  }
  for (const char* text : {"600.5", "0", "1.5x", "inf", "-inf", "1e999"}) {
    EnvReader env = ReaderOver({{"SITE_TIMEOUT_S", text}});
    EXPECT_DOUBLE_EQ(env.Double("SITE_TIMEOUT_S", 2.0, 0.001, 600), 2.0) << text;
    EXPECT_FALSE(env.Finish().ok()) << text;
  }
}

TEST(EnvReaderTest, FailRecordsCrossFieldProblems) {
  EnvReader env = ReaderOver({{"PORT", "x"}});
  env.Int("PORT", 1, 1, 2);
  env.Fail("DB_POOL_MIN_SIZE must not exceed DB_POOL_MAX_SIZE");
  const Status status = env.Finish();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "invalid configuration: PORT must be an integer in 1..2, got 'x'; "
            "DB_POOL_MIN_SIZE must not exceed DB_POOL_MAX_SIZE");
}

TEST(EnvReaderTest, TheLookupIsAskedForTheExactName) {
  std::string asked;
  EnvReader env([&asked](const std::string& name) -> std::optional<std::string> {
    asked = name;
    return std::string("value");
  });
  EXPECT_EQ(env.String("S3_BUCKET", "none"), "value");
  EXPECT_EQ(asked, "S3_BUCKET");
}

}  // namespace
}  // namespace dataplane::core
