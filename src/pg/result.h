#pragma once
// An owned PGresult with typed accessors. Values are read in text format; accessors on a
// NULL field return the "empty" value (IsNull tells them apart).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <libpq-fe.h>

namespace dataplane::pg {

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
  bool Bool(int row, int col) const { return Text(row, col) == "t"; }

 private:
  std::shared_ptr<PGresult> result_;
};

}  // namespace dataplane::pg
