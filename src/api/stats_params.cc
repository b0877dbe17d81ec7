#include "api/stats_params.h"

#include <array>
#include <chrono>

#include "api/query_params.h"

namespace dataplane::api {
namespace {

constexpr core::Micros kHour = 3600 * core::kMicrosPerSecond;
constexpr core::Micros kDay = 24 * kHour;

// By StatsBucket.
constexpr std::array<const char*, 4> kBucketNames = {"1h", "1d", "1w", "1mo"};

core::Micros FloorTo(core::Micros t, core::Micros unit) {
  core::Micros q = t / unit;
  if (t % unit < 0) --q;
  return q * unit;
}

std::chrono::sys_days DayOf(core::Micros t) {
  return std::chrono::sys_days(std::chrono::days(FloorTo(t, kDay) / kDay));
}

core::Micros MicrosOf(std::chrono::sys_days day) {
  return static_cast<core::Micros>(day.time_since_epoch().count()) * kDay;
}

core::Micros AlignUp(StatsBucket b, core::Micros t) {
  const core::Micros start = BucketStart(b, t);
  return start == t ? t : NextBucket(b, start);
}

core::Status ParseGroupBy(std::string_view text, StatsRequest& r) {
  return ForEachListItem(text, [&r](std::string_view item) -> core::Status {
    if (item == "site") {
      r.by_site = true;
    } else if (item == "app") {
      r.by_app = true;
    } else if (item == "status") {
      r.by_status = true;
    } else {
      return BadParameter("group_by",
                          "'" + std::string(item) + "' is not one of site, app, status");
    }
    return core::OkStatus();
  });
}

core::Status ParseBucket(const std::string& text, StatsRequest& r) {
  std::size_t i = 0;
  while (i < kBucketNames.size() && text != kBucketNames[i]) ++i;
  if (i == kBucketNames.size()) {
    return BadParameter("bucket", "'" + text + "' is not one of 1h, 1d, 1w, 1mo");
  }
  r.bucket = static_cast<StatsBucket>(i);
  return core::OkStatus();
}

core::Status ParseFormat(const std::string& text, StatsRequest& r) {
  if (text == "plain") {
    r.format = StatsFormat::kPlain;
  } else if (text == "mergeable") {
    r.format = StatsFormat::kMergeable;
  } else {
    return BadParameter("format", "'" + text + "' is not one of plain, mergeable");
  }
  return core::OkStatus();
}

// The range as given; aligned to buckets once every parameter is read.
struct GivenRange {
  std::optional<core::Micros> from, to;
};

core::Status ApplyParam(std::string_view key, const std::string& v, StatsRequest& r,
                        GivenRange& range) {
  if (key == "from" || key == "to") {
    return ParseTimeParam(key, v, key == "from" ? range.from : range.to);
  } else if (key == "bucket") {
    return ParseBucket(v, r);
  } else if (key == "group_by") {
    return ParseGroupBy(v, r);
  } else if (key == "site_id") {
    r.site_id = v;
  } else if (key == "status") {
    return ParseStatusList(v, r.statuses);
  } else if (key == "app_name") {
    r.app_name = v;
  } else if (key == "format") {
    return ParseFormat(v, r);
  } else {
    return BadParameter(std::string(key), "unknown query parameter");
  }
  return core::OkStatus();
}

}  // namespace

std::string_view ToString(StatsBucket bucket) {
  return kBucketNames[static_cast<std::size_t>(bucket)];
}

core::Micros BucketStart(StatsBucket bucket, core::Micros t) {
  using namespace std::chrono;
  switch (bucket) {
    case StatsBucket::kHour:
      return FloorTo(t, kHour);
    case StatsBucket::kDay:
      return FloorTo(t, kDay);
    case StatsBucket::kWeek: {
      const sys_days day = DayOf(t);
      return MicrosOf(day - (weekday(day) - Monday));
    }
    case StatsBucket::kMonth: {
      const year_month_day ymd(DayOf(t));
      return MicrosOf(sys_days(ymd.year() / ymd.month() / 1));
    }
  }
  return t;
}

core::Micros NextBucket(StatsBucket bucket, core::Micros start) {
  using namespace std::chrono;
  switch (bucket) {
    case StatsBucket::kHour:
      return start + kHour;
    case StatsBucket::kDay:
      return start + kDay;
    case StatsBucket::kWeek:
      return start + 7 * kDay;
    case StatsBucket::kMonth: {
      const year_month_day ymd(DayOf(start));
      return MicrosOf(sys_days((ymd.year() / ymd.month() / 1) + months(1)));
    }
  }
  return start;
}

core::Result<StatsRequest> ParseStatsRequest(std::string_view target, core::Micros now) {
  StatsRequest r;
  GivenRange range;
  auto apply = [&](std::string_view key, const std::string& value) {
    return ApplyParam(key, value, r, range);
  };
  if (auto s = ForEachQueryParam(target, apply); !s) return s.error();
  const core::Micros to = range.to.value_or(now);
  const core::Micros from = range.from.value_or(to - kDay);
  if (from >= to) return BadParameter("from", "must be before to");
  if (r.bucket) {
    r.source = *r.bucket;
    r.from = BucketStart(*r.bucket, from);
    r.to = AlignUp(*r.bucket, to);
    return r;
  }
  r.from = BucketStart(StatsBucket::kHour, from);
  r.to = AlignUp(StatsBucket::kHour, to);
  for (StatsBucket level : {StatsBucket::kMonth, StatsBucket::kWeek, StatsBucket::kDay}) {
    if (BucketStart(level, r.from) == r.from && BucketStart(level, r.to) == r.to) {
      r.source = level;
      break;
    }
  }
  return r;
}

}  // namespace dataplane::api
