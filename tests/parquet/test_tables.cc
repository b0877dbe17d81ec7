#include "test_tables.h"

#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace dataplane::parquet::readers {
namespace {

using Random = std::mt19937_64;

std::string BigJson() {
  return R"({"blob":")" + std::string(1100 * 1024, 'x') + R"(","tail":"Ωmega"})";
}

double RandomFiniteDouble(Random& random) {
  for (;;) {
    const std::uint64_t bits = random();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (std::isfinite(d)) return d;
  }
}

Cell RandomCell(ColumnType type, Random& random) {
  switch (type) {
    case ColumnType::kInt64:
      return static_cast<std::int64_t>(random());
    case ColumnType::kInt32:
      return static_cast<std::int64_t>(static_cast<std::int32_t>(random()));
    case ColumnType::kDouble:
      return RandomFiniteDouble(random);
    case ColumnType::kBoolean:
      return random() % 2 == 0;
    case ColumnType::kString:
      return "text-" + std::to_string(random() % 100000) + "-ü";
    case ColumnType::kJson:
      return R"({"n":)" + std::to_string(random() % 1000) + "}";
    case ColumnType::kTimestamp:
      return kMinMicros + static_cast<std::int64_t>(random() % (kMaxMicros - kMinMicros));
    case ColumnType::kUuid:
      return Uuid(random(), random());
  }
  return std::monostate{};
}

struct EdgeColumn {
  ColumnSpec spec;
  std::vector<Cell> values;
};

EdgeColumn Col(std::string name, ColumnType type, bool nullable, std::vector<Cell> values,
               bool dictionary = false) {
  return {{std::move(name), type, nullable, dictionary}, std::move(values)};
}

std::vector<Cell> Ints() {
  using L = std::numeric_limits<std::int64_t>;
  const std::int64_t two53 = std::int64_t{1} << 53;
  return {L::min(), L::max(),  std::int64_t{0}, std::int64_t{-1}, two53 - 1,
          two53,    two53 + 1, -two53 + 1,      -two53,           -two53 - 1};
}

std::vector<Cell> Doubles() {
  return {-0.0,
          0.0,
          std::nan(""),
          HUGE_VAL,
          -HUGE_VAL,
          5e-324,
          DBL_MAX,
          -DBL_MAX,
          0.1,
          1e21,
          1e-7,
          123456789.125,
          1.3927926388013963e-143,
          -2.5};
}

std::vector<Cell> Strings() {
  return {std::string(),           std::string("Ωmega-ü-日本"),
          std::string("a"),        std::string("quote\" back\\ tab\t nl\n"),
          std::string("\x01\x7f"), std::string("😀"),
          std::string(10000, 'z')};
}

std::vector<Cell> Times() {
  return {kMinMicros,
          kMaxMicros,
          std::int64_t{-1},
          std::int64_t{0},
          std::int64_t{1},
          std::int64_t{-86400000001},
          std::int64_t{1700000000123456}};
}

std::vector<Cell> Uuids() {
  return {Uuid(0, 0), Uuid(~0ULL, ~0ULL), Uuid(0x0123e45689abcdefULL, 0x0123456789abcdefULL),
          Uuid(0x8000000000000000ULL, 1)};
}

std::vector<Cell> Sites() {
  return {std::string("fab-1"), std::string("fab-2"), std::string("Ωmega-ü-日本"), std::string()};
}

std::vector<EdgeColumn> EdgeColumns() {
  const std::vector<Cell> int32s = {std::int64_t{INT32_MIN}, std::int64_t{INT32_MAX},
                                    std::int64_t{0}, std::int64_t{-1}};
  const std::vector<Cell> jsons = {std::string("{}"),
                                   std::string(R"( { "a" : [1, 2.50] } )"),
                                   std::string(R"({"k":"Ωmega-ü-日本"})"),
                                   BigJson(),
                                   std::string("null"),
                                   std::string(R"("")")};
  const std::vector<Cell> bools = {true, false};
  using T = ColumnType;
  return {Col("id", T::kInt64, false, {}),
          Col("i64", T::kInt64, true, Ints()),
          Col("i32", T::kInt32, true, int32s),
          Col("d", T::kDouble, true, Doubles()),
          Col("b", T::kBoolean, true, bools),
          Col("s", T::kString, true, Strings()),
          Col("j", T::kJson, true, jsons),
          Col("ts", T::kTimestamp, true, Times()),
          Col("u", T::kUuid, true, Uuids()),
          Col("site", T::kString, true, Sites(), true),
          Col("r_i64", T::kInt64, false, Ints()),
          Col("r_i32", T::kInt32, false, int32s),
          Col("r_d", T::kDouble, false, Doubles()),
          Col("r_b", T::kBoolean, false, bools),
          Col("r_s", T::kString, false, Strings()),
          Col("r_j", T::kJson, false, {std::string("[]")}),
          Col("r_ts", T::kTimestamp, false, Times()),
          Col("r_u", T::kUuid, false, Uuids()),
          Col("r_site", T::kString, false, Sites(), true)};
}

}  // namespace

std::string Uuid(std::uint64_t hi, std::uint64_t lo) {
  std::string bytes(16, '\0');
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<char>(hi >> (56 - 8 * i));
    bytes[8 + i] = static_cast<char>(lo >> (56 - 8 * i));
  }
  return bytes;
}

Table EdgeTable() {
  const auto edges = EdgeColumns();
  Table table;
  std::size_t longest = 0;
  for (const auto& e : edges) {
    table.columns.push_back(e.spec);
    longest = std::max(longest, e.values.size());
  }
  Random random(20240601);
  for (std::size_t r = 0; r < longest + 1 + 200; ++r) {
    std::vector<Cell> row;
    for (const auto& e : edges) {
      if (e.spec.name == "id") {
        row.emplace_back(static_cast<std::int64_t>(r));
      } else if (e.spec.nullable && (r == longest || (r > longest && random() % 6 == 0))) {
        row.emplace_back(std::monostate{});
      } else if (r < e.values.size()) {
        row.push_back(e.values[r]);
      } else if (e.spec.dictionary) {
        row.push_back(e.values[random() % e.values.size()]);
      } else {
        row.push_back(RandomCell(e.spec.type, random));
      }
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

Table ManyRowGroupsTable(std::size_t rows) {
  using T = ColumnType;
  Table table;
  table.columns = {{"id", T::kInt64, false, false},       {"time", T::kTimestamp, false, false},
                   {"site", T::kString, false, true},     {"status", T::kString, true, true},
                   {"duration", T::kDouble, true, false}, {"message", T::kString, true, false},
                   {"job_id", T::kUuid, true, false},     {"attempt", T::kInt32, true, false},
                   {"ok", T::kBoolean, true, false},      {"payload", T::kJson, true, false}};
  const char* kStatus[] = {"queued", "running", "done", "failed", "cancelled"};
  Random random(7);
  for (std::size_t r = 0; r < rows; ++r) {
    const auto i = static_cast<std::int64_t>(r);
    auto maybe = [&](Cell cell) { return random() % 9 == 0 ? Cell{} : cell; };
    table.rows.push_back({i, 1700000000000000 + i * 1000003, "site-" + std::to_string(r % 7),
                          maybe(std::string(kStatus[random() % 5])),
                          maybe(static_cast<double>(random() % 100000) / 7.0),
                          maybe("message " + std::to_string(random()) + " Ωmega"),
                          maybe(Uuid(random(), random())),
                          maybe(static_cast<std::int64_t>(random() % 5)), maybe(r % 3 == 0),
                          maybe(R"({"step":)" + std::to_string(r) + "}")});
  }
  return table;
}

Table OverflowTable(std::size_t rows) {
  Table table;
  table.columns = {{"id", ColumnType::kInt64, false, false},
                   {"kind", ColumnType::kString, true, true},
                   {"app", ColumnType::kString, false, true}};
  for (std::size_t r = 0; r < rows; ++r) {
    const Cell kind = r % 11 == 5 ? Cell{} : Cell{"kind-" + std::to_string(r) + "-padding-Ω"};
    table.rows.push_back({static_cast<std::int64_t>(r), kind, "app-" + std::to_string(r % 3)});
  }
  return table;
}

}  // namespace dataplane::parquet::readers
