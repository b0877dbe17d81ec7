// The group-commit writer on the real database, without HTTP: groups never exceed
// max_group_events (a bigger request is written whole), a group whose data the database refuses
// is retried request by request, a full queue refuses at once, an expired request is answered
// unwritten, a missing daily partition is created, Stop() writes what was accepted, and an app
// takes the name of its group's newest event.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/time.h"
#include "harness.h"
#include "ingest/event_parser.h"
#include "ingest/ingest_writer.h"
#include "metrics/registry.h"

namespace dataplane::testing {
namespace {

ingest::Event ParsedEvent(const EventSpec& spec) {
  auto event = ingest::ParseEvent(MakeEvent(spec), ingest::ValidationLimits{}, core::NowMicros());
  if (!event) throw std::runtime_error("test event refused: " + event.error().message);
  return std::move(*event);
}

std::vector<ingest::Event> Events(int n, const std::string& site, const std::string& app) {
  std::vector<ingest::Event> events;
  for (int i = 0; i < n; ++i) {
    events.push_back(
        ParsedEvent({.key = NewKey(), .id = NewUuid(), .site = site, .app_name = app}));
  }
  return events;
}

// Collects the outcomes of submitted requests; Wait() until `n` have arrived.
class Outcomes {
 public:
  ingest::IngestWriter::Callback Slot(std::size_t index) {
    {
      std::lock_guard lock(mu_);
      if (outcomes_.size() <= index) outcomes_.resize(index + 1);
    }
    return [this, index](ingest::WriteOutcome outcome) {
      std::lock_guard lock(mu_);
      outcomes_[index] = std::move(outcome);
      ++arrived_;
      cv_.notify_all();
    };
  }
  bool Wait(std::size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(60), [&] { return arrived_ >= n; });
  }
  std::size_t arrived() {
    std::lock_guard lock(mu_);
    return arrived_;
  }
  const ingest::WriteOutcome& at(std::size_t i) {
    std::lock_guard lock(mu_);
    return *outcomes_.at(i);
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::optional<ingest::WriteOutcome>> outcomes_;
  std::size_t arrived_ = 0;
};

ingest::IngestWriterOptions Options(int writers, std::size_t max_group) {
  ingest::IngestWriterOptions options;
  options.connect.url = Harness::Get().cluster().Url();
  options.writers = writers;
  options.max_group_events = max_group;
  return options;
}

// The value of one sample line ("name{labels} value") in an exposition, or -1.
double Sample(const std::string& text, const std::string& series) {
  const std::size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

std::int64_t Count(const std::string& sql) { return std::stoll(Harness::Get().Scalar(sql)); }

TEST(IngestWriter, GroupsNeverExceedTheLimitAndABiggerRequestIsWrittenWhole) {
  metrics::MetricsRegistry registry;
  ingest::IngestWriter writer(Options(1, 5), registry);
  const std::string site = "writer-groups-" + NewKey().substr(0, 8);
  Outcomes outcomes;
  for (std::size_t i = 0; i < 20; ++i) {  // queued before the writer starts: 20 singles
    ASSERT_TRUE(writer.Submit(Events(1, site, "app"), core::CallContext{}, outcomes.Slot(i)));
  }
  ASSERT_TRUE(writer.Submit(Events(12, site, "app"), core::CallContext{}, outcomes.Slot(20)));
  writer.Start();
  ASSERT_TRUE(outcomes.Wait(21));
  writer.Stop();
  for (std::size_t i = 0; i <= 20; ++i) ASSERT_TRUE(outcomes.at(i).status.ok()) << i;
  EXPECT_EQ(outcomes.at(20).inserted, std::vector<bool>(12, true));
  EXPECT_EQ(Count("SELECT count(*) FROM event WHERE site_id = '" + site + "'"), 32);

  const std::string text = registry.Serialize();
  EXPECT_EQ(Sample(text, "dataplane_ingest_group_events_count"), 5) << text;  // 4 × 5, then 12
  EXPECT_EQ(Sample(text, "dataplane_ingest_group_events_sum"), 32);
  EXPECT_EQ(Sample(text, "dataplane_ingest_group_events_bucket{le=\"5\"}"), 4);
  EXPECT_EQ(Sample(text, "dataplane_ingest_group_events_bucket{le=\"10\"}"), 4);
  EXPECT_EQ(Sample(text, "dataplane_ingest_group_events_bucket{le=\"20\"}"), 5);
}

TEST(IngestWriter, AGroupTheDatabaseRefusesIsRetriedRequestByRequest) {
  // The database refuses one site's events, which validation accepts: only that request may
  // fail (a trigger raising a data exception, class 22: "data_rejected").
  auto db = Harness::Get().Db();
  struct DropTrigger {
    pg::Connection& db;
    ~DropTrigger() {
      (void)db.TryExec(
          "DROP TRIGGER IF EXISTS it_refuse_site ON event; "
          "DROP FUNCTION IF EXISTS it_refuse_site()");
    }
  } drop_trigger{*db};  // also when an assertion ends the test early
  db->Exec(
      "CREATE OR REPLACE FUNCTION it_refuse_site() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "IF NEW.site_id = 'refused-site' THEN RAISE EXCEPTION 'refused by the test' USING ERRCODE "
      "= '22023'; END IF; RETURN NEW; END $$; "
      "CREATE TRIGGER it_refuse_site BEFORE INSERT ON event FOR EACH ROW EXECUTE FUNCTION "
      "it_refuse_site()");
  metrics::MetricsRegistry registry;
  ingest::IngestWriter writer(Options(1, 100), registry);
  const std::string site = "writer-retry-" + NewKey().substr(0, 8);
  Outcomes outcomes;
  for (std::size_t i = 0; i < 6; ++i) {
    ASSERT_TRUE(writer.Submit(Events(2, i == 3 ? "refused-site" : site, "app"), core::CallContext{},
                              outcomes.Slot(i)));
  }
  writer.Start();  // the six requests form one group
  ASSERT_TRUE(outcomes.Wait(6));
  writer.Stop();
  for (std::size_t i = 0; i < 6; ++i) {
    if (i == 3) {
      EXPECT_FALSE(outcomes.at(i).status.ok());
      EXPECT_EQ(outcomes.at(i).status.error().code, "data_rejected")
          << outcomes.at(i).status.error().message;
    } else {
      EXPECT_TRUE(outcomes.at(i).status.ok()) << i << ": " << outcomes.at(i).status.error().message;
    }
  }
  EXPECT_EQ(Count("SELECT count(*) FROM event WHERE site_id = '" + site + "'"), 10);
  EXPECT_EQ(Sample(registry.Serialize(), "dataplane_ingest_events_total{result=\"failed\"}"), 2);
}

TEST(IngestWriter, AFullQueueRefusesAtOnceAndCountsIt) {
  metrics::MetricsRegistry registry;
  ingest::IngestWriterOptions options = Options(1, 100);
  options.max_queued_events = 10;
  ingest::IngestWriter writer(options, registry);
  const std::string site = "writer-full-" + NewKey().substr(0, 8);
  Outcomes outcomes;
  ASSERT_TRUE(writer.Submit(Events(6, site, "app"), core::CallContext{}, outcomes.Slot(0)));
  EXPECT_FALSE(writer.Submit(Events(6, site, "app"), core::CallContext{}, outcomes.Slot(1)));
  EXPECT_TRUE(writer.Submit(Events(4, site, "app"), core::CallContext{}, outcomes.Slot(2)));
  EXPECT_EQ(writer.QueuedEvents(), 10u);
  EXPECT_EQ(Sample(registry.Serialize(), "dataplane_ingest_queue_rejections_total"), 1);
  writer.Start();
  ASSERT_TRUE(outcomes.Wait(2));
  writer.Stop();
  EXPECT_EQ(outcomes.arrived(), 2u) << "the refused request's callback never runs";
  EXPECT_EQ(Count("SELECT count(*) FROM event WHERE site_id = '" + site + "'"), 10);
}

TEST(IngestWriter, ARequestPastItsDeadlineIsAnsweredUnwritten) {
  metrics::MetricsRegistry registry;
  ingest::IngestWriter writer(Options(1, 100), registry);
  const std::string site = "writer-deadline-" + NewKey().substr(0, 8);
  core::CallContext expired;
  expired.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  Outcomes outcomes;
  ASSERT_TRUE(writer.Submit(Events(3, site, "app"), expired, outcomes.Slot(0)));
  ASSERT_TRUE(writer.Submit(Events(2, site, "app"), core::CallContext{}, outcomes.Slot(1)));
  writer.Start();
  ASSERT_TRUE(outcomes.Wait(2));
  writer.Stop();
  ASSERT_FALSE(outcomes.at(0).status.ok());
  EXPECT_EQ(outcomes.at(0).status.error().code, "deadline_exceeded");
  EXPECT_EQ(outcomes.at(0).status.error().kind, core::ErrorKind::kUnavailable);
  EXPECT_TRUE(outcomes.at(1).status.ok());
  EXPECT_EQ(Count("SELECT count(*) FROM event WHERE site_id = '" + site + "'"), 2);
}

TEST(IngestWriter, AMissingDailyPartitionIsCreatedAndTheGroupWritten) {
  if (OnTimescaleDb()) GTEST_SKIP() << "TimescaleDB creates chunks itself; no daily partitions";
  // A day 20..27 days back whose partitions hold nothing of other tests.
  auto db = Harness::Get().Db();
  core::Micros at = 0;
  std::string suffix;
  for (int days = 20; days < 28 && suffix.empty(); ++days) {
    at = core::NowMicros() - days * 24LL * 3600 * core::kMicrosPerSecond;
    std::string day = core::FormatRfc3339(at).substr(0, 10);
    day.erase(std::remove(day.begin(), day.end(), '-'), day.end());
    if (Count("SELECT count(*) FROM pg_class WHERE relname = 'event_p" + day + "'") == 0 ||
        Count("SELECT count(*) FROM event_p" + day) == 0) {
      suffix = day;
    }
  }
  ASSERT_FALSE(suffix.empty()) << "every day 20..27 days back holds events of other tests";
  for (const char* table : {"event", "job", "subjob"}) {
    db->Exec(std::string("DROP TABLE IF EXISTS ") + table + "_p" + suffix);
  }
  ASSERT_EQ(Count("SELECT count(*) FROM pg_class WHERE relname = 'event_p" + suffix + "'"), 0);

  metrics::MetricsRegistry registry;
  ingest::IngestWriter writer(Options(1, 100), registry);
  const std::string job = NewUuid();
  Outcomes outcomes;
  std::vector<ingest::Event> events;
  events.push_back(ParsedEvent({.key = NewKey(), .id = job, .at = core::FormatRfc3339(at)}));
  ASSERT_TRUE(writer.Submit(std::move(events), core::CallContext{}, outcomes.Slot(0)));
  writer.Start();
  ASSERT_TRUE(outcomes.Wait(1));
  writer.Stop();
  ASSERT_TRUE(outcomes.at(0).status.ok()) << outcomes.at(0).status.error().message;
  EXPECT_EQ(Count("SELECT count(*) FROM pg_class WHERE relname = 'event_p" + suffix + "'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM event_p" + suffix + " WHERE entity_id = '" + job + "'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM job WHERE job_id = '" + job + "'"), 1);
}

TEST(IngestWriter, StopWritesWhatWasAccepted) {
  metrics::MetricsRegistry registry;
  ingest::IngestWriter writer(Options(2, 3), registry);
  writer.Start();
  const std::string site = "writer-stop-" + NewKey().substr(0, 8);
  Outcomes outcomes;
  for (std::size_t i = 0; i < 40; ++i) {
    ASSERT_TRUE(writer.Submit(Events(1, site, "app"), core::CallContext{}, outcomes.Slot(i)));
  }
  writer.Stop();
  EXPECT_EQ(outcomes.arrived(), 40u) << "every accepted request is answered before Stop returns";
  for (std::size_t i = 0; i < 40; ++i) EXPECT_TRUE(outcomes.at(i).status.ok()) << i;
  EXPECT_EQ(Count("SELECT count(*) FROM event WHERE site_id = '" + site + "'"), 40);
  EXPECT_FALSE(writer.Submit(Events(1, site, "app"), core::CallContext{}, outcomes.Slot(40)))
      << "a stopped writer refuses";
}

TEST(IngestWriter, TextWithCopyEscapesComesBackByteForByte) {
  // Tabs, newlines, carriage returns, backslashes, the NULL marker's spelling and non-ASCII
  // UTF-8 travel through COPY's text format and back out of the tables unchanged.
  const std::string site = "fab-copy-" + NewKey().substr(0, 6);  // site ids are plain
  const std::string app = "litho\tline\nscan\r\\N \u00e9\u20ac";
  const std::string job = NewUuid();
  std::string body =
      MakeEvent({.key = NewKey(), .id = job, .site = site, .app_name = app, .business_key = "\\N"});
  const std::string app_id = NewUuid();  // an app of its own: the shared one keeps its name
  body.replace(body.find("6f1c1a52-8d43-4b7e-9a55-0d1c2b3a4f5e"), 36, app_id);
  auto event = ingest::ParseEvent(body, ingest::ValidationLimits{}, core::NowMicros());
  ASSERT_TRUE(event.ok()) << event.error().message;
  const std::string app_text = event->app_name;
  ASSERT_EQ(app_text, app);

  metrics::MetricsRegistry registry;
  ingest::IngestWriter writer(Options(1, 100), registry);
  Outcomes outcomes;
  std::vector<ingest::Event> events;
  events.push_back(std::move(*event));
  ASSERT_TRUE(writer.Submit(std::move(events), core::CallContext{}, outcomes.Slot(0)));
  writer.Start();
  ASSERT_TRUE(outcomes.Wait(1));
  writer.Stop();
  ASSERT_TRUE(outcomes.at(0).status.ok()) << outcomes.at(0).status.error().message;

  auto db = Harness::Get().Db();
  auto row = db->Exec(
      "SELECT j.site_id, j.app_name, j.job_key, a.name, e.payload->'app'->>'name' "
      "FROM job j JOIN app a ON a.app_id = j.app_id JOIN event e ON e.entity_id = j.job_id "
      "WHERE j.job_id = $1",
      {job});
  ASSERT_EQ(row.Rows(), 1);
  EXPECT_EQ(row.Text(0, 0), site);
  EXPECT_EQ(row.Text(0, 1), app_text);
  EXPECT_EQ(row.Text(0, 2), "\\N");
  EXPECT_EQ(row.Text(0, 3), app_text);
  EXPECT_EQ(row.Text(0, 4), app_text);
}

// An event of app `app_id` named `name`, at `at`.
ingest::Event AppEvent(const std::string& app_id, const std::string& name, const std::string& at) {
  std::string body = MakeEvent({.key = NewKey(), .id = NewUuid(), .at = at, .app_name = name});
  body.replace(body.find("6f1c1a52-8d43-4b7e-9a55-0d1c2b3a4f5e"), 36, app_id);
  auto event = ingest::ParseEvent(body, ingest::ValidationLimits{}, core::NowMicros());
  if (!event) throw std::runtime_error("test event refused: " + event.error().message);
  return std::move(*event);
}

TEST(IngestWriter, AnAppTakesTheNameOfItsGroupsNewestEventAndALaterGroupRenamesIt) {
  const std::string app_id = NewUuid();
  metrics::MetricsRegistry registry;
  ingest::IngestWriter writer(Options(1, 100), registry);
  writer.Start();
  const auto write = [&](std::vector<ingest::Event> events) {
    Outcomes outcomes;
    ASSERT_TRUE(writer.Submit(std::move(events), core::CallContext{}, outcomes.Slot(0)));
    ASSERT_TRUE(outcomes.Wait(1));
    ASSERT_TRUE(outcomes.at(0).status.ok()) << outcomes.at(0).status.error().message;
  };
  const auto name = [&] {
    return Harness::Get().Scalar("SELECT name FROM app WHERE app_id = '" + app_id + "'");
  };
  std::vector<ingest::Event> first;
  first.push_back(AppEvent(app_id, "newest", AtOffset(-10)));
  first.push_back(AppEvent(app_id, "older", AtOffset(-20)));  // arrives later, is older
  write(std::move(first));
  EXPECT_EQ(name(), "newest");
  std::vector<ingest::Event> second;
  second.push_back(AppEvent(app_id, "renamed", AtOffset(-5)));
  write(std::move(second));
  EXPECT_EQ(name(), "renamed");
  writer.Stop();
}

TEST(IngestWriter, AGroupMixingNewAndKnownKeysGetsExactResultsAndCountsOnlyTheNew) {
  // A known key among new ones, in a small group and in one of 250 events: the answer is per
  // event, and the state counts only the new events (the fold sees only the fresh ones).
  metrics::MetricsRegistry registry;
  ingest::IngestWriter writer(Options(1, 1000), registry);
  writer.Start();
  for (const int size : {3, 250}) {
    const std::string job = NewUuid();
    std::vector<ingest::Event> first;
    first.push_back(ParsedEvent({.key = NewKey(), .id = job, .at = AtOffset(-100)}));
    const std::string known_key = first[0].idempotency_key;
    Outcomes outcomes;
    ASSERT_TRUE(writer.Submit(std::move(first), core::CallContext{}, outcomes.Slot(0)));
    ASSERT_TRUE(outcomes.Wait(1));
    ASSERT_TRUE(outcomes.at(0).status.ok()) << outcomes.at(0).status.error().message;

    std::vector<ingest::Event> mixed;
    mixed.push_back(ParsedEvent({.key = NewKey(), .id = job, .at = AtOffset(-90)}));
    mixed.push_back(ParsedEvent({.key = known_key, .id = job, .at = AtOffset(-100)}));
    for (int i = 2; i < size; ++i) {
      mixed.push_back(ParsedEvent({.key = NewKey(), .id = job, .at = AtOffset(-80 + i * 0.01)}));
    }
    ASSERT_TRUE(writer.Submit(std::move(mixed), core::CallContext{}, outcomes.Slot(1)));
    ASSERT_TRUE(outcomes.Wait(2));
    ASSERT_TRUE(outcomes.at(1).status.ok()) << outcomes.at(1).status.error().message;
    const std::vector<bool>& inserted = outcomes.at(1).inserted;
    ASSERT_EQ(inserted.size(), static_cast<std::size_t>(size));
    EXPECT_TRUE(inserted[0]) << size;
    EXPECT_FALSE(inserted[1]) << size;
    EXPECT_EQ(std::count(inserted.begin(), inserted.end(), true), size - 1) << size;
    EXPECT_EQ(Count("SELECT event_count FROM job WHERE job_id = '" + job + "'"), size) << size;
    EXPECT_EQ(Count("SELECT count(*) FROM event WHERE entity_id = '" + job + "'"), size) << size;
  }
  writer.Stop();
}

}  // namespace
}  // namespace dataplane::testing
