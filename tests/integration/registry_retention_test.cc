// Registry retention (prune_registries): old idempotency keys go, and an old anchor goes only
// once its state row is gone (archived and dropped), so a late event for a long-lived job still
// finds and updates its one current state instead of starting a second.
#include <gtest/gtest.h>

#include "harness.h"

namespace dataplane::testing {
namespace {

std::string Count(const std::string& sql) {
  return Harness::Get().Scalar("SELECT count(*) " + sql);
}

TEST(RegistryRetention, AnOldAnchorStaysWhileItsStateRowExists) {
  auto client = Harness::Get().Client();
  const std::string kept_job = NewUuid(), gone_job = NewUuid();
  const std::string kept_key = NewKey(), gone_key = NewKey();
  ASSERT_EQ(
      client.Post("/v1/event", MakeEvent({.key = kept_key, .id = kept_job, .at = AtOffset(-3600)}))
          ->status,
      200);
  ASSERT_EQ(
      client.Post("/v1/event", MakeEvent({.key = gone_key, .id = gone_job, .at = AtOffset(-3600)}))
          ->status,
      200);
  // Both registered long ago; the second job's state row is gone, as after its archival.
  const std::string both = "('" + kept_job + "', '" + gone_job + "')";
  Harness::Get().Scalar(
      "WITH u AS (UPDATE entity_anchor SET created_at = now() - interval '400 days' "
      "WHERE entity_id IN " +
      both + " RETURNING 1) SELECT count(*) FROM u");
  Harness::Get().Scalar(
      "WITH u AS (UPDATE event_key SET received_at = now() - interval '400 days' "
      "WHERE idempotency_key IN ('" +
      kept_key + "', '" + gone_key + "') RETURNING 1) SELECT count(*) FROM u");
  Harness::Get().Scalar("WITH d AS (DELETE FROM job WHERE job_id = '" + gone_job +
                        "' RETURNING 1) SELECT count(*) FROM d");

  EXPECT_GE(std::stoll(Harness::Get().Scalar("SELECT prune_registries('30 days')")), 3);
  EXPECT_EQ(
      Count("FROM event_key WHERE idempotency_key IN ('" + kept_key + "', '" + gone_key + "')"),
      "0");
  EXPECT_EQ(Count("FROM entity_anchor WHERE entity_id = '" + kept_job + "'"), "1");
  EXPECT_EQ(Count("FROM entity_anchor WHERE entity_id = '" + gone_job + "'"), "0");

  // The late end of the kept job lands on its one state row.
  ASSERT_EQ(
      client
          .Post("/v1/event", MakeEvent({.id = kept_job, .kind = "finished", .status = "succeeded"}))
          ->status,
      200);
  EXPECT_EQ(Count("FROM job WHERE job_id = '" + kept_job + "'"), "1");
  EXPECT_EQ(Harness::Get().Scalar("SELECT status || ' ' || event_count FROM job WHERE job_id = '" +
                                  kept_job + "'"),
            "succeeded 2");
}

}  // namespace
}  // namespace dataplane::testing
