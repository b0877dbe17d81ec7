#pragma once
// DurationHistogram: the log-scale histogram of job durations that the statistics aggregates
// keep as `duration_hist`
// (database/sql/parts/timescaledb_enhancements/020_job_stats_functions.sql), as a C++ value, so
// that a caller merging the rows of several sites (the Central API) adds, merges and ranks exactly
// as PostgreSQL does.
//
// Bins: bin 0 holds [0, 1 ms); bin k >= 1 holds [1 ms * 1.05^(k-1), 1 ms * 1.05^k); every
// duration from bin kMaxBin's lower bound up counts in bin kMaxBin. BinOf repeats the SQL bin
// formula, and Percentile repeats duration_histogram_percentile step by step (rank
// p * (count - 1) like percentile_cont, geometric interpolation inside the bin, linear in bin 0,
// p clamped to 0..1 with NaN read as 1 as PostgreSQL's greatest/least read it), in the same
// double arithmetic: with the same libm the results are equal to the last bit.
//
// JSON form: {"first_bin":k,"counts":[n_k,n_k+1,…]}, the counts of bins k, k+1, …; null for an
// empty histogram. FromJson accepts exactly that (zeros at either end are dropped) and refuses
// anything else with kInvalidInput "invalid_histogram", naming what is wrong: another type, a
// missing or unknown member, a first_bin or a bin outside 0..kMaxBin, a count that is negative,
// not an integer or past 2^63 - 1 in total. It never throws.
//
// A plain value: copyable, no shared state; const calls may run concurrently. Counts are 64-bit
// (the SQL arrays are 32-bit); Merge and Add do not check for overflow past 2^63 - 1.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "core/error.h"

namespace dataplane::api {

class DurationHistogram {
 public:
  static constexpr double kBin0UpperS = 0.001;  // bin 0's upper bound, in seconds
  static constexpr double kGrowth = 1.05;       // each bin's upper / lower bound
  static constexpr int kMaxBin = 1000;          // the last bin, unbounded above

  //! The bin of a duration, as SQL computes it: 0 below 1 ms (negative ones too), at most
  //! kMaxBin; nullopt for NaN.
  static std::optional<int> BinOf(double seconds);
  //! Bin `bin`'s lower bound in seconds: 0 for bin 0, else 1 ms * 1.05^(bin - 1).
  static double LowerBound(int bin);

  //! Counts one duration in BinOf(seconds); a NaN counts nothing (SQL skips a NULL).
  void Add(double seconds);
  //! Adds every count of `other` to this one: the histogram of both samples together.
  void Merge(const DurationHistogram& other);

  //! The number of durations counted.
  std::int64_t Count() const;
  bool Empty() const { return counts_.empty(); }
  //! The p-quantile (0..1) in seconds, as duration_histogram_percentile(h, p) computes it;
  //! nullopt when empty.
  std::optional<double> Percentile(double p) const;

  //! The lowest bin with a count (0 when empty) and the counts from it to the highest such bin.
  int FirstBin() const { return first_bin_; }
  const std::vector<std::int64_t>& Counts() const { return counts_; }

  //! Appends the JSON form (null when empty).
  void AppendJson(std::string& out) const;
  //! The histogram of a JSON value in the JSON form, or the refusal described above.
  static core::Result<DurationHistogram> FromJson(const boost::json::value& json);
  //! The same from JSON text; text that is not JSON is refused as core::ParseJson refuses it.
  static core::Result<DurationHistogram> FromJsonText(std::string_view text);

  //! Appends the bins' description, {"bin0_upper_s":0.001,"growth":1.05,"max_bin":1000}, from
  //! which a client that does not use this class can compute bounds and percentiles.
  static void AppendBinsJson(std::string& out);

  bool operator==(const DurationHistogram&) const = default;

 private:
  // `n` >= 0 more durations in bin `bin` (0..kMaxBin); extends the span as needed.
  void AddToBin(int bin, std::int64_t n);

  int first_bin_ = 0;
  std::vector<std::int64_t> counts_;  // counts_[i]: bin first_bin_ + i; no zero at either end
};

}  // namespace dataplane::api
