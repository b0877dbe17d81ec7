// Tests of the query parameters of GET /v1/jobs and /v1/subjobs (SPEC §3).
#include "api/list_filter.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace dataplane::api {
namespace {

constexpr char kId[] = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";

ListFilter ParseOk(const std::string& target, ListKind kind = ListKind::kJobs) {
  auto filter = ParseListFilter(target, kind);
  EXPECT_TRUE(filter.ok()) << target << ": " << filter.error().message;
  return filter.ok() ? *filter : ListFilter{};
}

// Expects a refusal naming `field`; returns the message for further checks.
std::string ExpectRefused(const std::string& target, const std::string& field,
                          ListKind kind = ListKind::kJobs,
                          const std::string& code = "invalid_parameter") {
  auto filter = ParseListFilter(target, kind);
  if (filter.ok()) {
    ADD_FAILURE() << "accepted " << target;
    return "";
  }
  EXPECT_EQ(filter.error().kind, core::ErrorKind::kInvalidInput) << target;
  EXPECT_EQ(filter.error().code, code) << target << ": " << filter.error().message;
  EXPECT_EQ(filter.error().field, field) << target << ": " << filter.error().message;
  return filter.error().message;
}

TEST(ListFilterTest, Defaults) {
  for (const char* target : {"/v1/jobs", "/v1/jobs?"}) {
    const ListFilter f = ParseOk(target);
    EXPECT_EQ(f.limit, 100) << target;
    EXPECT_EQ(f.from, std::nullopt);
    EXPECT_EQ(f.to, std::nullopt);
    EXPECT_TRUE(f.statuses.empty());
    EXPECT_EQ(f.app_name, std::nullopt);
    EXPECT_EQ(f.site_id, std::nullopt);
    EXPECT_EQ(f.job_key, std::nullopt);
    EXPECT_EQ(f.job_id, std::nullopt);
    EXPECT_EQ(f.cursor, std::nullopt);
  }
  EXPECT_EQ(ParseOk("/v1/subjobs", ListKind::kSubjobs).limit, 100);
}

TEST(ListFilterTest, EmptyQueryItemsAreIgnoredButAnEmptyNameIsNot) {
  EXPECT_EQ(ParseOk("/v1/jobs?limit=5&").limit, 5);
  EXPECT_EQ(ParseOk("/v1/jobs?&limit=5&&site_id=fab1").site_id, "fab1");
  ExpectRefused("/v1/jobs?=5", "");
  ExpectRefused("/v1/jobs?limit=5&=x", "");
}

TEST(ListFilterTest, FromAndToAreRfc3339) {
  const ListFilter f = ParseOk("/v1/jobs?from=2026-11-29T00:00:00Z&to=2026-11-29T05:00:00.123456Z");
  EXPECT_EQ(f.from, 1795910400000000);
  EXPECT_EQ(f.to, 1795928400123456);
  // An offset's '+' must be percent-encoded in a query string.
  EXPECT_EQ(ParseOk("/v1/jobs?from=2026-11-29T05:30:00%2B05:30").from, 1795910400000000);
  EXPECT_EQ(ParseOk("/v1/jobs?to=2026-11-28T16:00:00-08:00").to, 1795910400000000);
  EXPECT_EQ(ParseOk("/v1/jobs?from=2026-11-29%2000:00:00Z").from, 1795910400000000);
}

TEST(ListFilterTest, BadTimesAreRefusedNamingTheParameter) {
  ExpectRefused("/v1/jobs?from=yesterday", "from");
  ExpectRefused("/v1/jobs?to=2026-11-29T00:00:00", "to");
  ExpectRefused("/v1/jobs?from=", "from");
  ExpectRefused("/v1/jobs?to=2026-02-30T00:00:00Z", "to");
}

TEST(ListFilterTest, FromMustBeBeforeTo) {
  EXPECT_TRUE(ParseListFilter("/v1/jobs?from=2026-11-29T00:00:00Z&to=2026-11-29T00:00:00.000001Z",
                              ListKind::kJobs)
                  .ok());
  const std::string message =
      ExpectRefused("/v1/jobs?from=2026-11-29T00:00:00Z&to=2026-11-29T00:00:00Z", "from");
  EXPECT_NE(message.find("to"), std::string::npos) << message;
  ExpectRefused("/v1/jobs?to=2026-11-28T00:00:00Z&from=2026-11-29T00:00:00Z", "from");
}

TEST(ListFilterTest, StatusCommaList) {
  EXPECT_EQ(ParseOk("/v1/jobs?status=failed").statuses, std::vector<std::string>{"failed"});
  EXPECT_EQ(ParseOk("/v1/jobs?status=running,succeeded,failed,canceled").statuses,
            (std::vector<std::string>{"running", "succeeded", "failed", "canceled"}));
  EXPECT_EQ(ParseOk("/v1/jobs?status=failed%2Ccanceled").statuses,
            (std::vector<std::string>{"failed", "canceled"}));
}

TEST(ListFilterTest, BadStatusItemsAreRefused) {
  const std::string message = ExpectRefused("/v1/jobs?status=failed,done", "status");
  EXPECT_NE(message.find("done"), std::string::npos) << message;
  ExpectRefused("/v1/jobs?status=FAILED", "status");
  ExpectRefused("/v1/jobs?status=", "status");
  ExpectRefused("/v1/jobs?status=failed,", "status");
  ExpectRefused("/v1/jobs?status=,failed", "status");
  ExpectRefused("/v1/jobs?status=failed%20", "status");
}

TEST(ListFilterTest, TextFiltersAreUrlDecoded) {
  const ListFilter f = ParseOk("/v1/jobs?app_name=litho%20scan&site_id=fab1&job_key=lot-4711");
  EXPECT_EQ(f.app_name, "litho scan");
  EXPECT_EQ(f.site_id, "fab1");
  EXPECT_EQ(f.job_key, "lot-4711");
  EXPECT_EQ(ParseOk("/v1/jobs?job_key=lot%2F47%26a%3Db").job_key, "lot/47&a=b");
  EXPECT_EQ(ParseOk("/v1/jobs?app_name=%C3%A4tzen").app_name, "\xC3\xA4tzen");
  // Form encoding: '+' is a space in text filters.
  EXPECT_EQ(ParseOk("/v1/jobs?app_name=litho+scan").app_name, "litho scan");
}

TEST(ListFilterTest, AnUnencodedPlusInATimeIsTheOffsetSign) {
  // Pasted times keep their '+': form decoding makes it a space, which is read back as the sign.
  const ListFilter f =
      ParseOk("/v1/jobs?from=2026-11-29T05:30:00+05:30&to=2026-11-29T06:00:00.5+01:00");
  EXPECT_EQ(f.from, ParseOk("/v1/jobs?from=2026-11-29T00:00:00Z").from);
  EXPECT_EQ(f.to, ParseOk("/v1/jobs?to=2026-11-29T05:00:00.5Z").to);
  EXPECT_EQ(ParseOk("/v1/jobs?from=2026-11-29T05:30:00%2B05:30").from, f.from);
  // Only a space where the offset belongs is read so: anything else is still refused.
  ExpectRefused("/v1/jobs?from=2026-11-29T05:30+05:30", "from");
  ExpectRefused("/v1/jobs?from=2026-11-29T05:30:00++05:30", "from");
  ExpectRefused("/v1/jobs?from=2026-11-29T05:30:00+0530", "from");
  ExpectRefused("/v1/jobs?from=2026-11-29T05:30:00+25:00", "from");
  ExpectRefused("/v1/jobs?from=+05:30", "from");
}

TEST(ListFilterTest, JobIdOnlyForSubjobs) {
  const ListFilter f =
      ParseOk("/v1/subjobs?job_id=1B4E28BA-2FA1-11D2-883F-0016D3CCA427", ListKind::kSubjobs);
  EXPECT_EQ(f.job_id, kId);
  ExpectRefused("/v1/subjobs?job_id=lot-4711", "job_id", ListKind::kSubjobs);
  const std::string message = ExpectRefused(std::string("/v1/jobs?job_id=") + kId, "job_id");
  EXPECT_NE(message.find("unknown"), std::string::npos) << message;
}

TEST(ListFilterTest, Limit) {
  EXPECT_EQ(ParseOk("/v1/jobs?limit=1").limit, 1);
  EXPECT_EQ(ParseOk("/v1/jobs?limit=250").limit, 250);
  EXPECT_EQ(ParseOk("/v1/jobs?limit=10000").limit, 10000);
  EXPECT_EQ(ParseOk("/v1/subjobs?limit=7", ListKind::kSubjobs).limit, 7);
  for (const char* bad : {"0", "10001", "abc", "-1", "", "1.5", "10x", "%2010", "99999999999"}) {
    ExpectRefused(std::string("/v1/jobs?limit=") + bad, "limit");
  }
}

TEST(ListFilterTest, Cursor) {
  const Cursor cursor{1795928400123456, kId};
  const ListFilter f = ParseOk("/v1/jobs?limit=10&cursor=" + EncodeCursor(cursor));
  ASSERT_TRUE(f.cursor.has_value());
  EXPECT_EQ(*f.cursor, cursor);
  EXPECT_EQ(f.limit, 10);
  ExpectRefused("/v1/jobs?cursor=garbage", "cursor", ListKind::kJobs, "invalid_cursor");
  ExpectRefused("/v1/jobs?cursor=", "cursor", ListKind::kJobs, "invalid_cursor");
}

TEST(ListFilterTest, UnknownParametersAreRefusedByName) {
  std::string message = ExpectRefused("/v1/jobs?stauts=failed", "stauts");
  EXPECT_NE(message.find("stauts"), std::string::npos) << message;
  message = ExpectRefused("/v1/jobs?limit=5&foo=1", "foo");
  EXPECT_NE(message.find("foo"), std::string::npos) << message;
  ExpectRefused("/v1/jobs?Limit=5", "Limit");
  ExpectRefused("/v1/subjobs?bucket=1h", "bucket", ListKind::kSubjobs);
}

TEST(ListFilterTest, EveryParameterTogether) {
  const ListFilter f = ParseOk(
      "/v1/subjobs?from=2026-11-01T00:00:00Z&to=2026-11-30T00:00:00Z&status=failed,canceled"
      "&app_name=Litho&site_id=fab2&job_key=lot-1&job_id=" +
          std::string(kId) + "&limit=50&cursor=" + EncodeCursor({5, kId}),
      ListKind::kSubjobs);
  EXPECT_EQ(f.from, 1793491200000000);
  EXPECT_EQ(f.to, 1795996800000000);
  EXPECT_EQ(f.statuses, (std::vector<std::string>{"failed", "canceled"}));
  EXPECT_EQ(f.app_name, "Litho");
  EXPECT_EQ(f.site_id, "fab2");
  EXPECT_EQ(f.job_key, "lot-1");
  EXPECT_EQ(f.job_id, kId);
  EXPECT_EQ(f.limit, 50);
  EXPECT_EQ(f.cursor, (Cursor{5, kId}));
}

}  // namespace
}  // namespace dataplane::api
