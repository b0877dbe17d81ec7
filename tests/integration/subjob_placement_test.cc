// Where subjob state rows live (schema version 4): at their job's anchor, so that only jobs
// register anchors — in order, out of order (the subjob first), and for a subjob registered
// under version 3 with an anchor of its own, which keeps its row.
#include <gtest/gtest.h>

#include "harness.h"

namespace dataplane::testing {
namespace {

std::string Q(const std::string& sql) { return Harness::Get().Scalar(sql); }

void Post(http::HttpClient& client, const EventSpec& spec) {
  auto reply = client.Post("/v1/event", MakeEvent(spec));
  ASSERT_TRUE(reply.ok());
  ASSERT_EQ(reply->status, 200) << reply->body;
}

TEST(SubjobPlacement, ASubjobLivesAtItsJobsAnchorAndRegistersNone) {
  auto client = Harness::Get().Client();
  const std::string job = NewUuid(), subjob = NewUuid();
  Post(client, {.id = job, .at = AtOffset(-600)});
  Post(client, {.type = "subjob",
                .id = subjob,
                .parent = job,
                .kind = "finished",
                .status = "succeeded",
                .at = AtOffset(-300)});
  EXPECT_EQ(Q("SELECT count(*) FROM entity_anchor WHERE entity_id = '" + subjob + "'"), "0");
  EXPECT_EQ(Q("SELECT count(*) FROM entity_anchor WHERE entity_id = '" + job + "'"), "1");
  EXPECT_EQ(Q("SELECT s.anchor_at = j.anchor_at FROM subjob s JOIN job j ON j.job_id = s.job_id "
              "WHERE s.subjob_id = '" +
              subjob + "'"),
            "t");
  // Later events of the subjob find the same row.
  Post(client,
       {.type = "subjob", .id = subjob, .parent = job, .kind = "progress", .at = AtOffset(-200)});
  EXPECT_EQ(Q("SELECT count(*) || ' ' || max(event_count) FROM subjob WHERE subjob_id = '" +
              subjob + "'"),
            "1 2");
}

TEST(SubjobPlacement, ASubjobBeforeItsJobAnchorsBothAtTheSubjobsTime) {
  auto client = Harness::Get().Client();
  const std::string job = NewUuid(), subjob = NewUuid();
  const std::string subjob_at = AtOffset(-300);
  Post(client, {.type = "subjob",
                .id = subjob,
                .parent = job,
                .kind = "finished",
                .status = "succeeded",
                .at = subjob_at});
  EXPECT_EQ(Q("SELECT entity_type FROM entity_anchor WHERE entity_id = '" + job + "'"), "job");
  Post(client, {.id = job, .at = AtOffset(-600)});  // the job's own start, received later
  EXPECT_EQ(Q("SELECT count(*) FROM job WHERE job_id = '" + job + "'"), "1");
  EXPECT_EQ(
      Q("SELECT s.anchor_at = j.anchor_at AND j.anchor_at = '" + subjob_at +
        "'::timestamptz FROM subjob s JOIN job j ON j.job_id = s.job_id WHERE s.subjob_id = '" +
        subjob + "'"),
      "t");
  EXPECT_EQ(
      Q("SELECT count(*) FROM entity_anchor WHERE entity_id IN ('" + job + "', '" + subjob + "')"),
      "1");
}

TEST(SubjobPlacement, ASubjobWithAnAnchorOfItsOwnKeepsItsRow) {
  auto client = Harness::Get().Client();
  const std::string job = NewUuid(), subjob = NewUuid();
  Post(client, {.id = job, .at = AtOffset(-3600)});
  // As a version-3 writer left it: the subjob anchored at its own first event, its row there.
  Q("WITH legacy AS (INSERT INTO subjob (subjob_id, anchor_at, job_id, site_id, app_id, app_name, "
    "status, last_event_kind, last_event_at, event_count) SELECT '" +
    subjob +
    "', now() - "
    "interval '30 minutes', '" +
    job +
    "', site_id, app_id, app_name, 'running', 'started', "
    "now() - interval '30 minutes', 1 FROM job WHERE job_id = '" +
    job +
    "' RETURNING "
    "subjob_id, anchor_at), registered AS (INSERT INTO entity_anchor (entity_id, entity_type, "
    "anchor_at) SELECT subjob_id, 'subjob', anchor_at FROM legacy RETURNING 1) SELECT count(*) "
    "FROM registered");
  Post(client, {.type = "subjob",
                .id = subjob,
                .parent = job,
                .kind = "finished",
                .status = "failed",
                .at = AtOffset(-60)});
  EXPECT_EQ(Q("SELECT count(*) || ' ' || max(status) || ' ' || max(event_count) FROM subjob "
              "WHERE subjob_id = '" +
              subjob + "'"),
            "1 failed 2");
  EXPECT_EQ(Q("SELECT s.anchor_at = a.anchor_at FROM subjob s JOIN entity_anchor a ON "
              "a.entity_id = s.subjob_id WHERE s.subjob_id = '" +
              subjob + "'"),
            "t");
}

TEST(SubjobPlacement, PruningKeepsAJobsAnchorWhileOnlyItsSubjobsRowsRemain) {
  auto client = Harness::Get().Client();
  const std::string job = NewUuid(), subjob = NewUuid();
  Post(client, {.type = "subjob", .id = subjob, .parent = job, .at = AtOffset(-600)});
  Q("WITH u AS (UPDATE entity_anchor SET created_at = now() - interval '400 days' WHERE "
    "entity_id = '" +
    job + "' RETURNING 1) SELECT count(*) FROM u");
  ASSERT_EQ(Q("SELECT count(*) FROM job WHERE job_id = '" + job + "'"), "0");  // no job event yet
  Q("SELECT prune_registries('30 days')");
  EXPECT_EQ(Q("SELECT count(*) FROM entity_anchor WHERE entity_id = '" + job + "'"), "1");
  Q("WITH d AS (DELETE FROM subjob WHERE subjob_id = '" + subjob +
    "' RETURNING 1) SELECT "
    "count(*) FROM d");
  Q("SELECT prune_registries('30 days')");
  EXPECT_EQ(Q("SELECT count(*) FROM entity_anchor WHERE entity_id = '" + job + "'"), "0");
}

}  // namespace
}  // namespace dataplane::testing
