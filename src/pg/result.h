#pragma once
// An owned PGresult with typed accessors. A result holds its values in the format its query
// asked for (ResultFormat): PostgreSQL's text output, or its binary send format, which spares
// the server the output functions (and a client the parsing) of timestamps, uuids and numbers.
// Every accessor reads both formats; what it accepts per format:
//   Text    text-typed columns (text, varchar, name; also `x::text`): the same bytes in both.
//   Int64   int2/int4/int8 (text: any integer text).
//   Double  float8 (text: any float text PostgreSQL prints, NaN and ±Infinity included).
//   Bool    bool.
//   Micros  binary: a timestamptz, as microseconds since the Unix epoch; text: an int8 column
//           that already holds them (e.g. `(extract(epoch from at) * 1000000)::int8`).
//   AppendUuid  a uuid column, appended as its canonical lower-case text.
// An accessor on a NULL field returns the "empty" value (IsNull tells them apart).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <libpq-fe.h>

#include "core/time.h"

namespace dataplane::pg {

//! The format a query's result columns are sent in.
enum class ResultFormat { kText = 0, kBinary = 1 };

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* result) : result_(result, &PQclear) {}

  int Rows() const { return result_ ? PQntuples(result_.get()) : 0; }
  bool IsNull(int row, int col) const { return PQgetisnull(result_.get(), row, col) != 0; }
  std::string_view Text(int row, int col) const {
    return {PQgetvalue(result_.get(), row, col),
            static_cast<std::size_t>(PQgetlength(result_.get(), row, col))};
  }
  std::int64_t Int64(int row, int col) const;
  double Double(int row, int col) const;
  bool Bool(int row, int col) const;
  core::Micros Micros(int row, int col) const;
  void AppendUuid(std::string& out, int row, int col) const;

 private:
  bool IsBinary(int col) const { return PQfformat(result_.get(), col) == 1; }

  std::shared_ptr<PGresult> result_;
};

}  // namespace dataplane::pg
