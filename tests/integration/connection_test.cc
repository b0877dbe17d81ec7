// pg::Connection on the real server: the session settings every connection gets, and binary
// COPY and binary array parameters (pg/binary_copy.h, pg/binary_array.h) read back by
// PostgreSQL itself.
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "harness.h"
#include "pg/binary_array.h"
#include "pg/binary_copy.h"
#include "pg/connection.h"

namespace dataplane::testing {
namespace {

TEST(Connection, TheClientEncodingIsUtf8WhateverTheEnvironmentOrUrlSay) {
  // The cluster first: a server started with PGCLIENTENCODING set would take it as its default.
  const std::string url = Harness::Get().cluster().Url();
  ::setenv("PGCLIENTENCODING", "LATIN1", 1);
  auto from_env = pg::Connection::Open({url});
  auto from_url = pg::Connection::Open({url + "?client_encoding=LATIN1"});
  ::unsetenv("PGCLIENTENCODING");
  ASSERT_TRUE(from_env.ok()) << from_env.error().message;
  ASSERT_TRUE(from_url.ok()) << from_url.error().message;
  EXPECT_EQ((*from_env)->Exec("SHOW client_encoding").Text(0, 0), "UTF8");
  EXPECT_EQ((*from_url)->Exec("SHOW client_encoding").Text(0, 0), "UTF8");
  EXPECT_EQ((*from_env)->Exec("SHOW timezone").Text(0, 0), "UTC");
}

TEST(Connection, DoubleReadsEveryFloat8TextPostgreSqlPrints) {
  auto db = Harness::Get().Db();
  pg::PgResult r = db->Exec(
      "SELECT 1.5::float8, -0.1::float8, 1e300::float8, 4.9e-324::float8, 'NaN'::float8, "
      "'Infinity'::float8, '-Infinity'::float8, 25::float8");
  EXPECT_EQ(r.Double(0, 0), 1.5);
  EXPECT_EQ(r.Double(0, 1), -0.1);
  EXPECT_EQ(r.Double(0, 2), 1e300);
  EXPECT_EQ(r.Double(0, 3), 4.9e-324);
  EXPECT_TRUE(std::isnan(r.Double(0, 4)));
  EXPECT_EQ(r.Double(0, 5), std::numeric_limits<double>::infinity());
  EXPECT_EQ(r.Double(0, 6), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(r.Double(0, 7), 25);
}

// The accessors give the same values for a result in either format (pg/result.h).
TEST(Connection, BinaryResultsReadAsTheTextOnesDo) {
  auto db = Harness::Get().Db();
  const std::string sql =
      "SELECT -7::int2, -70000::int4, -5000000000::int8, -2.5::float8, true, "
      "'2026-11-29 05:00:00.123456+00'::timestamptz, '1969-12-31 23:59:59.999999+00'::timestamptz, "
      "'infinity'::timestamptz, 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6'::uuid, 'é\"x'::text, "
      "NULL::int8, NULL::uuid";
  pg::PgResult text = db->ExecPrepared(sql, {});
  pg::PgResult binary = db->ExecPrepared(sql, {}, pg::ResultFormat::kBinary);
  for (const pg::PgResult* r : {&text, &binary}) {
    const char* format = r == &text ? "text" : "binary";
    EXPECT_EQ(r->Int64(0, 0), -7) << format;
    EXPECT_EQ(r->Int64(0, 1), -70000) << format;
    EXPECT_EQ(r->Int64(0, 2), -5000000000) << format;
    EXPECT_EQ(r->Double(0, 3), -2.5) << format;
    EXPECT_TRUE(r->Bool(0, 4)) << format;
    EXPECT_EQ(r->Text(0, 9), "é\"x") << format;
    std::string uuid = "[";
    r->AppendUuid(uuid, 0, 8);
    EXPECT_EQ(uuid, "[f81d4fae-7dec-11d0-a765-00a0c91e6bf6") << format;
    EXPECT_TRUE(r->IsNull(0, 10)) << format;
    EXPECT_EQ(r->Int64(0, 10), 0) << format;
    EXPECT_TRUE(r->IsNull(0, 11)) << format;
  }
  // A binary timestamptz is read as epoch microseconds (a text one would need the int8 form).
  EXPECT_EQ(binary.Micros(0, 5), 1795928400123456);
  EXPECT_EQ(binary.Micros(0, 6), -1);
  EXPECT_EQ(binary.Micros(0, 7), std::numeric_limits<std::int64_t>::max());
  pg::PgResult micros = db->ExecPrepared(
      "SELECT (extract(epoch from '2026-11-29 05:00:00.123456+00'::timestamptz) * 1000000)::int8",
      {});
  EXPECT_EQ(micros.Micros(0, 0), 1795928400123456);
}

constexpr const char* kCreateTypes =
    "CREATE TEMP TABLE copied (n int, t text, at timestamptz, u uuid, f float8, j jsonb)";
constexpr const char* kCopyTypes = "COPY copied (t, at, u, f, j) FROM STDIN WITH (FORMAT binary)";

TEST(Connection, BinaryCopyRowsReadBackAsTheValuesTheyWereBuiltFrom) {
  auto conn = Harness::Get().Db();
  conn->Exec(kCreateTypes);
  pg::BinaryCopy copy;
  copy.BeginRow(5);
  copy.Text("tab\tand\nnewline \\N é😀");
  copy.TimestampTz(1795928400123456);  // 2026-11-29T05:00:00.123456Z
  copy.Uuid("0E8F7A6B-5c4d-4e3f-9a2b-1c0d9e8f7a6b");
  copy.Float8(0.1);
  copy.Jsonb(R"({"b":[1,2.5,"x\"y"],"a":null})");
  copy.BeginRow(5);
  for (int i = 0; i < 5; ++i) copy.Null();
  conn->CopyIn(kCopyTypes, copy.Take());
  auto rows = conn->Exec(
      "SELECT t, to_char(at, 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), u::text, f = 0.1::float8, j::text,"
      " num_nulls(t, at, u, f, j) FROM copied ORDER BY t NULLS LAST");
  ASSERT_EQ(rows.Rows(), 2);
  EXPECT_EQ(rows.Text(0, 0), "tab\tand\nnewline \\N é😀");
  EXPECT_EQ(rows.Text(0, 1), "2026-11-29T05:00:00.123456");
  EXPECT_EQ(rows.Text(0, 2), "0e8f7a6b-5c4d-4e3f-9a2b-1c0d9e8f7a6b");
  EXPECT_EQ(rows.Text(0, 3), "t") << "the double arrives bit for bit";
  EXPECT_EQ(rows.Text(0, 4), R"({"a": null, "b": [1, 2.5, "x\"y"]})");
  EXPECT_EQ(rows.Text(1, 5), "5") << "the second row is all NULL";
}

TEST(Connection, ABinaryCopyFieldOfTheWrongShapeFailsTheWholeCopy) {
  auto conn = Harness::Get().Db();
  conn->Exec(kCreateTypes);
  for (const char* bad_uuid : {"not-a-uuid", "0e8f7a6b-5c4d-4e3f-9a2b-1c0d9e8f7a6"}) {
    pg::BinaryCopy copy;
    copy.BeginRow(5);
    copy.Text("fine");
    copy.TimestampTz(0);
    copy.Uuid("0e8f7a6b-5c4d-4e3f-9a2b-1c0d9e8f7a6b");
    copy.Null();
    copy.Null();
    copy.BeginRow(5);
    copy.Text("bad");
    copy.TimestampTz(0);
    copy.Uuid(bad_uuid);
    copy.Null();
    copy.Null();
    EXPECT_FALSE(conn->TryCopyIn(kCopyTypes, copy.Take()).ok()) << bad_uuid;
  }
  pg::BinaryCopy bad_json;
  bad_json.BeginRow(5);
  for (int i = 0; i < 4; ++i) bad_json.Null();
  bad_json.Jsonb("{not json");
  EXPECT_FALSE(conn->TryCopyIn(kCopyTypes, bad_json.Take()).ok());
  EXPECT_EQ(conn->Exec("SELECT count(*) FROM copied").Text(0, 0), "0") << "nothing half-written";
}

// One array of each element type, sent in binary to a pipelined statement and read back as text.
TEST(Connection, BinaryArrayParametersArriveAsTheValuesTheyWereBuiltFrom) {
  auto conn = Harness::Get().Db();
  pg::BinaryArray ids(pg::ElementType::kUuid), names(pg::ElementType::kText),
      ats(pg::ElementType::kTimestampTz), figures(pg::ElementType::kFloat8),
      counts(pg::ElementType::kInt4), docs(pg::ElementType::kJsonb), none(pg::ElementType::kText);
  ids.Uuid("0e8f7a6b-5c4d-4e3f-9a2b-1c0d9e8f7a6b");
  ids.Uuid(std::optional<std::string>());
  names.Text("{braces}, \"quotes\", NULL");
  names.Text("");
  ats.TimestampTz(1795928400123456);
  ats.TimestampTz(-1);  // 1969-12-31T23:59:59.999999Z
  figures.Float8(-0.25);
  figures.Float8(std::optional<double>());
  counts.Int4(-7);
  counts.Int4(2147483647);
  docs.Jsonb(R"({"k":[true]})");
  docs.Null();
  static const std::string kUnnest =
      "SELECT u::text, n, to_char(a, 'YYYY-MM-DD HH24:MI:SS.US'), f, c, j::text, "
      "cardinality($7::text[]) FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], "
      "$4::float8[], $5::integer[], $6::jsonb[]) AS x(u, n, a, f, c, j)";
  auto results = conn->TryExecPipeline({{&kUnnest,
                                         {ids.Take(), names.Take(), ats.Take(), figures.Take(),
                                          counts.Take(), docs.Take(), none.Take()},
                                         pg::ParamFormat::kBinary}});
  ASSERT_TRUE(results.ok()) << results.error().message;
  const pg::PgResult& rows = results->front();
  ASSERT_EQ(rows.Rows(), 2);
  EXPECT_EQ(rows.Text(0, 0), "0e8f7a6b-5c4d-4e3f-9a2b-1c0d9e8f7a6b");
  EXPECT_EQ(rows.Text(0, 1), "{braces}, \"quotes\", NULL");
  EXPECT_EQ(rows.Text(0, 2), "2026-11-29 05:00:00.123456");
  EXPECT_EQ(rows.Text(0, 3), "-0.25");
  EXPECT_EQ(rows.Text(0, 4), "-7");
  EXPECT_EQ(rows.Text(0, 5), R"({"k": [true]})");
  EXPECT_EQ(rows.Text(0, 6), "0") << "an array without elements is the empty array";
  EXPECT_TRUE(rows.IsNull(1, 0));
  EXPECT_EQ(rows.Text(1, 1), "") << "empty text is not NULL";
  EXPECT_EQ(rows.Text(1, 2), "1969-12-31 23:59:59.999999");
  EXPECT_TRUE(rows.IsNull(1, 3));
  EXPECT_EQ(rows.Text(1, 4), "2147483647");
  EXPECT_TRUE(rows.IsNull(1, 5));
}

TEST(Connection, ABinaryArrayOfAnotherElementTypeThanTheStatementsIsRefused) {
  auto conn = Harness::Get().Db();
  pg::BinaryArray texts(pg::ElementType::kText);
  texts.Text("0e8f7a6b-5c4d-4e3f-9a2b-1c0d9e8f7a6b");
  static const std::string kCount = "SELECT cardinality($1::uuid[])";
  auto results = conn->TryExecPipeline({{&kCount, {texts.Take()}, pg::ParamFormat::kBinary}});
  ASSERT_FALSE(results.ok());
  EXPECT_NE(results.error().message.find("instead of expected 2950 (uuid)"), std::string::npos)
      << results.error().message;
}

}  // namespace
}  // namespace dataplane::testing
