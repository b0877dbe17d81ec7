#include "api/duration_histogram.h"

#include <cmath>
#include <limits>
#include <numeric>

#include "core/json_parse.h"
#include "core/json_writer.h"

namespace dataplane::api {
namespace {

using Histogram = DurationHistogram;

// ln 1.05 as the SQL bin formula has it: ln() of the numeric (exact) 1.05, 0.048790164169432003,
// rounded to a double. std::log(1.05) is 7 ulps more, the log of the double nearest 1.05, and
// puts a duration on a bin bound one bin lower than SQL does.
constexpr double kLnGrowth = 0.048790164169432003;

constexpr std::int64_t kMaxTotal = std::numeric_limits<std::int64_t>::max();

// p clamped to 0..1 as least(greatest(p, 0), 1) clamps it: PostgreSQL orders NaN above every
// number, so NaN reads as 1.
double ClampLikeSql(double p) {
  if (std::isnan(p) || p > 1) return 1;
  return p < 0 ? 0 : p;
}

// The value at relative position `pos` of bin `bin`: linear in bin 0, geometric above.
double InsideBin(int bin, double pos) {
  const double lo = Histogram::LowerBound(bin);
  const double hi = Histogram::LowerBound(bin + 1);
  if (bin == 0) return lo + (hi - lo) * pos;
  return lo * std::pow(hi / lo, pos);
}

core::Error Refused(const std::string& what) {
  return core::Error::Invalid("invalid_histogram", "histogram", "histogram: " + what);
}

// A JSON integer in 0..max; nullopt for anything else (a double such as 3.0 included).
std::optional<std::int64_t> IntegerUpTo(const boost::json::value& v, std::int64_t max) {
  if (!v.is_int64() || v.get_int64() < 0 || v.get_int64() > max) return std::nullopt;
  return v.get_int64();
}

// The members of the JSON form, or the refusal that names what is missing or extra.
core::Status CheckMembers(const boost::json::object& object) {
  for (const auto& member : object) {
    if (member.key() != "first_bin" && member.key() != "counts") {
      return Refused("unknown member '" + std::string(member.key()) + "'");
    }
  }
  if (!object.contains("first_bin") || !object.contains("counts")) {
    return Refused("first_bin and counts are required");
  }
  return core::OkStatus();
}

}  // namespace

std::optional<int> DurationHistogram::BinOf(double seconds) {
  if (std::isnan(seconds)) return std::nullopt;
  if (seconds < kBin0UpperS) return 0;
  const double steps = std::floor(std::log(seconds / kBin0UpperS) / kLnGrowth);
  return steps >= kMaxBin - 1 ? kMaxBin : 1 + static_cast<int>(steps);
}

double DurationHistogram::LowerBound(int bin) {
  return bin <= 0 ? 0 : kBin0UpperS * std::pow(kGrowth, static_cast<double>(bin - 1));
}

void DurationHistogram::Add(double seconds) {
  if (auto bin = BinOf(seconds)) AddToBin(*bin, 1);
}

void DurationHistogram::Merge(const DurationHistogram& other) {
  for (std::size_t i = 0; i < other.counts_.size(); ++i) {
    AddToBin(other.first_bin_ + static_cast<int>(i), other.counts_[i]);
  }
}

std::int64_t DurationHistogram::Count() const {
  return std::accumulate(counts_.begin(), counts_.end(), std::int64_t{0});
}

std::optional<double> DurationHistogram::Percentile(double p) const {
  const std::int64_t total = Count();
  if (total == 0) return std::nullopt;
  const double target = ClampLikeSql(p) * static_cast<double>(total - 1);
  std::int64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    const std::int64_t n = counts_[i];
    if (n > 0 && target < static_cast<double>(seen + n)) {
      const double pos = (target - static_cast<double>(seen) + 0.5) / static_cast<double>(n);
      return InsideBin(first_bin_ + static_cast<int>(i), pos);
    }
    seen += n;
  }
  // Not reached for total < 2^53 (target < total); SQL's answer there: the last bin's top.
  return LowerBound(first_bin_ + static_cast<int>(counts_.size()));
}

void DurationHistogram::AppendJson(std::string& out) const {
  if (Empty()) {
    out += "null";
    return;
  }
  out += "{\"first_bin\":";
  core::AppendJsonNumber(out, static_cast<long long>(first_bin_));
  out += ",\"counts\":[";
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (i > 0) out += ',';
    core::AppendJsonNumber(out, static_cast<long long>(counts_[i]));
  }
  out += "]}";
}

core::Result<DurationHistogram> DurationHistogram::FromJson(const boost::json::value& json) {
  DurationHistogram h;
  if (json.is_null()) return h;
  const boost::json::object* object = json.if_object();
  if (object == nullptr) return Refused("must be an object or null");
  if (auto s = CheckMembers(*object); !s) return s.error();
  const std::optional<std::int64_t> first_bin = IntegerUpTo(object->at("first_bin"), kMaxBin);
  if (!first_bin) return Refused("first_bin must be an integer in 0..1000");
  const boost::json::array* counts = object->at("counts").if_array();
  if (counts == nullptr) return Refused("counts must be an array");
  if (static_cast<std::int64_t>(counts->size()) > kMaxBin + 1 - *first_bin) {
    return Refused("counts reach past bin 1000");
  }
  std::int64_t total = 0;
  for (std::size_t i = 0; i < counts->size(); ++i) {
    const std::optional<std::int64_t> n = IntegerUpTo((*counts)[i], kMaxTotal - total);
    if (!n) {
      return Refused("counts[" + std::to_string(i) +
                     "] must be an integer >= 0, the counts at most 2^63 - 1 in total");
    }
    total += *n;
    h.AddToBin(static_cast<int>(*first_bin) + static_cast<int>(i), *n);
  }
  return h;
}

core::Result<DurationHistogram> DurationHistogram::FromJsonText(std::string_view text) {
  auto json = core::ParseJson(text);
  if (!json) return json.error();
  return FromJson(*json);
}

void DurationHistogram::AppendBinsJson(std::string& out) {
  out += "{\"bin0_upper_s\":";
  core::AppendJsonNumber(out, kBin0UpperS);
  out += ",\"growth\":";
  core::AppendJsonNumber(out, kGrowth);
  out += ",\"max_bin\":";
  core::AppendJsonNumber(out, static_cast<long long>(kMaxBin));
  out += '}';
}

void DurationHistogram::AddToBin(int bin, std::int64_t n) {
  if (n == 0) return;
  if (counts_.empty()) {
    first_bin_ = bin;
  } else if (bin < first_bin_) {
    counts_.insert(counts_.begin(), static_cast<std::size_t>(first_bin_ - bin), 0);
    first_bin_ = bin;
  }
  const auto i = static_cast<std::size_t>(bin - first_bin_);
  if (i >= counts_.size()) counts_.resize(i + 1, 0);
  counts_[i] += n;
}

}  // namespace dataplane::api
