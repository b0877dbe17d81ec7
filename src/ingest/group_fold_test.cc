// Tests of the writer's reduction of a group to one state per entity (group_fold.h): the same
// rules the SQL applies between groups, applied inside one.
#include "ingest/group_fold.h"

#include <gtest/gtest.h>

namespace dataplane::ingest {
namespace {

constexpr const char* kJob = "00000000-0000-4000-8000-000000000001";
constexpr const char* kOtherJob = "00000000-0000-4000-8000-000000000002";
constexpr const char* kSubjob = "00000000-0000-4000-8000-0000000000aa";

Event JobEvent(const char* id, core::Micros at, api::EventKind kind, api::JobStatus status) {
  Event e;
  e.entity_id = id;
  e.app_id = "6f1c1a52-8d43-4b7e-9a55-0d1c2b3a4f5e";
  e.app_name = "litho";
  e.at = at;
  e.kind = kind;
  e.status = status;
  e.metadata_json = "{}";
  return e;
}

Event Started(const char* id, core::Micros at) {
  return JobEvent(id, at, api::EventKind::kStarted, api::JobStatus::kRunning);
}

Event Finished(const char* id, core::Micros at,
               api::JobStatus status = api::JobStatus::kSucceeded) {
  return JobEvent(id, at, api::EventKind::kFinished, status);
}

std::vector<const Event*> Pointers(const std::vector<Event>& events) {
  std::vector<const Event*> out;
  for (const Event& e : events) out.push_back(&e);
  return out;
}

TEST(GroupFoldTest, TheNewestEventGivesTheStatusWhateverTheArrivalOrder) {
  const std::vector<Event> events{Finished(kJob, 200), Started(kJob, 100)};
  const auto states = FoldByEntity(Pointers(events));
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].latest, &events[0]);
  EXPECT_EQ(states[0].event_count, 2);
  EXPECT_EQ(states[0].started_at, 100);
}

TEST(GroupFoldTest, ATerminalStatusWinsATieThenTheLaterArrival) {
  const std::vector<Event> events{Finished(kJob, 100, api::JobStatus::kFailed), Started(kJob, 100),
                                  Finished(kJob, 100, api::JobStatus::kSucceeded)};
  const auto states = FoldByEntity(Pointers(events));
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].latest, &events[2]) << "terminal over running, then the later arrival";
}

TEST(GroupFoldTest, OlderEventsFillWhatNewerOnesLack) {
  std::vector<Event> events{Finished(kJob, 300), Started(kJob, 100), Started(kJob, 50)};
  events[1].duration_s = 7;
  events[1].cpu_user_s = 1;
  events[1].business_key = "lot-1";
  events[0].cpu_user_s = 2;
  events[2].duration_s = 9;
  const auto states = FoldByEntity(Pointers(events));
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].duration_s, 7) << "the newest non-null value";
  EXPECT_EQ(states[0].cpu_user_s, 2);
  EXPECT_EQ(states[0].cpu_system_s, std::nullopt);
  EXPECT_EQ(states[0].job_key, "lot-1");
  EXPECT_EQ(states[0].started_at, 50) << "the earliest started event";
}

TEST(GroupFoldTest, MetadataIsMergedOldestFirstByTime) {
  std::vector<Event> events{Finished(kJob, 300), Started(kJob, 100)};
  events[0].metadata_json = R"({"recipe":"R2","tool":"T1"})";
  events[1].metadata_json = R"({"recipe":"R1","lot":"L7"})";
  const auto states = FoldByEntity(Pointers(events));
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].metadata_json, R"({"recipe":"R2","lot":"L7","tool":"T1"})");
}

TEST(GroupFoldTest, OneStatePerEntitySortedByTypeThenId) {
  std::vector<Event> events{Started(kOtherJob, 1), Started(kSubjob, 2), Started(kJob, 3),
                            Finished(kOtherJob, 4)};
  events[1].entity_type = api::EntityType::kSubjob;
  events[1].parent_id = kJob;
  const auto states = FoldByEntity(Pointers(events));
  ASSERT_EQ(states.size(), 3u);
  EXPECT_EQ(states[0].latest->entity_id, kJob);
  EXPECT_EQ(states[1].latest->entity_id, kOtherJob);
  EXPECT_EQ(states[1].event_count, 2);
  EXPECT_EQ(states[2].latest->entity_id, kSubjob);
}

TEST(GroupFoldTest, AnIdUsedByAJobAndASubjobIsTwoEntities) {
  std::vector<Event> events{Started(kJob, 1), Started(kJob, 2)};
  events[1].entity_type = api::EntityType::kSubjob;
  events[1].parent_id = kOtherJob;
  EXPECT_EQ(FoldByEntity(Pointers(events)).size(), 2u);
}

TEST(GroupFoldTest, AnAppTakesTheNameOfItsNewestEventThenTheLaterArrival) {
  std::vector<Event> events{Started(kJob, 200), Started(kOtherJob, 100), Started(kSubjob, 200)};
  events[0].app_name = "at-200-first";
  events[1].app_name = "at-100";
  events[2].app_name = "at-200-later";
  const auto apps = LatestAppEvents(Pointers(events));
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0]->app_name, "at-200-later");
}

TEST(GroupFoldTest, AJobIsAnchoredAtTheFirstEventOfItselfOrItsSubjobs) {
  std::vector<Event> events{Started(kJob, 300), Started(kSubjob, 100), Started(kOtherJob, 500)};
  events[1].entity_type = api::EntityType::kSubjob;
  events[1].parent_id = kJob;
  const auto firsts = JobFirstTimes(Pointers(events));
  ASSERT_EQ(firsts.size(), 2u);
  EXPECT_EQ(firsts[0].job_id, kJob);
  EXPECT_EQ(firsts[0].at, 100);
  EXPECT_EQ(firsts[1].job_id, kOtherJob);
  EXPECT_EQ(firsts[1].at, 500);
}

TEST(GroupFoldTest, MergeMetadataReplacesOlderKeysAndKeepsTheRest) {
  EXPECT_EQ(MergeMetadata("{}", R"({"a":1})"), R"({"a":1})");
  EXPECT_EQ(MergeMetadata(R"({"a":1})", "{}"), R"({"a":1})");
  EXPECT_EQ(MergeMetadata(R"({"a":1,"b":{"x":1}})", R"({"b":{"y":2},"c":null})"),
            R"({"a":1,"b":{"y":2},"c":null})")
      << "a nested object is replaced whole, as jsonb's || does";
}

}  // namespace
}  // namespace dataplane::ingest
