// Pure values of the archiver: day arithmetic, object keys, SQL type mapping, partition names.
#include <gtest/gtest.h>

#include "archiver/archive_day.h"
#include "archiver/day_removal.h"
#include "archiver/object_key.h"
#include "archiver/table_columns.h"

namespace dataplane::archiver {
namespace {

TEST(ArchiveDayTest, ParsesAndPrintsUtcDays) {
  auto day = ArchiveDay::Parse("2026-11-29", "--from");
  ASSERT_TRUE(day) << day.error().message;
  EXPECT_EQ(day->Text(), "2026-11-29");
  EXPECT_EQ(day->End() - day->Start(), 86'400LL * 1'000'000);
  EXPECT_EQ(ArchiveDay::Of(day->Start()), *day);
  EXPECT_EQ(ArchiveDay::Of(day->End() - 1), *day);
  EXPECT_EQ(ArchiveDay::Of(day->End()).days, day->days + 1);
  EXPECT_EQ(ArchiveDay::Parse("1970-01-01", "d")->days, 0);
  EXPECT_EQ(ArchiveDay::Of(-1).Text(), "1969-12-31");
}

TEST(ArchiveDayTest, RefusesWhatIsNotADay) {
  for (const char* bad : {"", "2026-13-01", "2026-02-30", "2026-1-01", "20261129", "2026-11-29x"}) {
    auto day = ArchiveDay::Parse(bad, "--from");
    ASSERT_FALSE(day) << bad;
    EXPECT_EQ(day.error().kind, core::ErrorKind::kInvalidInput) << bad;
    EXPECT_NE(day.error().message.find("--from"), std::string::npos) << day.error().message;
  }
}

TEST(ObjectKeyTest, IsHivePartitionedAndDeterministic) {
  const ArchiveDay day = *ArchiveDay::Parse("2026-11-29", "d");
  EXPECT_EQ(PartKey("", "fab1", "job", day, 0),
            "site=fab1/table=job/date=2026-11-29/part-0000.parquet");
  EXPECT_EQ(PartKey("archive/", "fab1", "event", day, 12345),
            "archive/site=fab1/table=event/date=2026-11-29/part-12345.parquet");
  EXPECT_EQ(DayFolder("p/", "fab1", "job", day), "p/site=fab1/table=job/date=2026-11-29/");
}

TEST(ObjectKeyTest, EscapesSiteIdsThatWouldBreakTheLayout) {
  EXPECT_EQ(EscapePartitionValue("fab-1.a_b"), "fab-1.a_b");
  EXPECT_EQ(EscapePartitionValue("a/b=c%d e"), "a%2Fb%3Dc%25d%20e");
  EXPECT_EQ(EscapePartitionValue("\xC3\xA9"), "%C3%A9");
}

TEST(ObjectKeyTest, NormalizesThePrefix) {
  EXPECT_EQ(NormalizePrefix(""), "");
  EXPECT_EQ(NormalizePrefix("archive"), "archive/");
  EXPECT_EQ(NormalizePrefix("archive/"), "archive/");
  EXPECT_EQ(NormalizePrefix("a/b//"), "a/b/");
  EXPECT_EQ(NormalizePrefix("/"), "");
}

TEST(TableColumnsTest, MapsEverySupportedTypeAndRefusesTheRest) {
  EXPECT_EQ(*SqlTypeOf("text"), SqlType::kText);
  EXPECT_EQ(*SqlTypeOf("timestamp with time zone"), SqlType::kTimestampTz);
  EXPECT_EQ(*SqlTypeOf("uuid"), SqlType::kUuid);
  EXPECT_EQ(*SqlTypeOf("double precision"), SqlType::kFloat8);
  EXPECT_EQ(*SqlTypeOf("integer"), SqlType::kInt4);
  EXPECT_EQ(*SqlTypeOf("bigint"), SqlType::kInt8);
  EXPECT_EQ(*SqlTypeOf("jsonb"), SqlType::kJsonb);
  EXPECT_EQ(*SqlTypeOf("boolean"), SqlType::kBool);
  auto numeric = SqlTypeOf("numeric(10,2)");
  ASSERT_FALSE(numeric);
  EXPECT_NE(numeric.error().message.find("numeric(10,2)"), std::string::npos);
}

TEST(DayRemovalTest, NamesTheDaysPartitionAsEnsurePartitionsDoes) {
  EXPECT_EQ(PartitionName("event", *ArchiveDay::Parse("2026-01-05", "d")), "event_p20260105");
}

}  // namespace
}  // namespace dataplane::archiver
