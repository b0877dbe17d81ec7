#include "table.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>

#include <boost/json/serialize.hpp>

#include "core/uuid.h"

namespace dataplane::parquet::readers {
namespace {

namespace json = boost::json;

constexpr std::int64_t kMaxSafeInteger = (std::int64_t{1} << 53) - 1;

// The file's bytes, in order; a short write is an error the writer must return.
class FileSink : public Sink {
 public:
  explicit FileSink(const std::string& path) : file_(std::fopen(path.c_str(), "wb")) {}
  ~FileSink() override {
    if (file_ != nullptr) std::fclose(file_);
  }
  bool open() const { return file_ != nullptr; }
  core::Status Write(std::string_view bytes) override {
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
      return core::Error{core::ErrorKind::kInternal, "write_failed", "short write", {}};
    }
    return core::OkStatus();
  }
  core::Status Finish() {
    const bool ok = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!ok) return core::Error{core::ErrorKind::kInternal, "close_failed", "fclose", {}};
    return core::OkStatus();
  }

 private:
  std::FILE* file_;
};

void AppendCell(FileWriter& writer, int col, ColumnType type, const Cell& cell) {
  if (std::holds_alternative<std::monostate>(cell)) {
    writer.AppendNull(col);
  } else if (type == ColumnType::kInt32) {
    writer.AppendInt32(col, static_cast<std::int32_t>(std::get<std::int64_t>(cell)));
  } else if (type == ColumnType::kInt64 || type == ColumnType::kTimestamp) {
    writer.AppendInt64(col, std::get<std::int64_t>(cell));
  } else if (type == ColumnType::kDouble) {
    writer.AppendDouble(col, std::get<double>(cell));
  } else if (type == ColumnType::kBoolean) {
    writer.AppendBool(col, std::get<bool>(cell));
  } else {
    writer.AppendBytes(col, std::get<std::string>(cell));
  }
}

json::value CanonicalDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return d;
}

}  // namespace

core::Status WriteTable(const Table& table, const WriterOptions& options, const std::string& path) {
  FileSink sink(path);
  if (!sink.open()) return core::Error{core::ErrorKind::kInternal, "open_failed", path, {}};
  {
    FileWriter writer(table.columns, options, sink);
    for (const auto& row : table.rows) {
      for (std::size_t c = 0; c < row.size(); ++c) {
        AppendCell(writer, static_cast<int>(c), table.columns[c].type, row[c]);
      }
      if (auto status = writer.EndRow(); !status) return status;
    }
    if (auto status = writer.Close(); !status) return status;
  }
  return sink.Finish();
}

json::value Canonical(ColumnType type, const Cell& cell) {
  if (std::holds_alternative<std::monostate>(cell)) return nullptr;
  switch (type) {
    case ColumnType::kInt64:
    case ColumnType::kInt32: {
      const std::int64_t v = std::get<std::int64_t>(cell);
      if (v >= -kMaxSafeInteger && v <= kMaxSafeInteger) return v;
      return json::value(std::to_string(v));
    }
    case ColumnType::kTimestamp:
      return json::value(std::to_string(std::get<std::int64_t>(cell)));
    case ColumnType::kDouble:
      return CanonicalDouble(std::get<double>(cell));
    case ColumnType::kBoolean:
      return std::get<bool>(cell);
    case ColumnType::kUuid:
      return json::value(UuidText(std::get<std::string>(cell)));
    case ColumnType::kString:
    case ColumnType::kJson:
      return json::value(std::get<std::string>(cell));
  }
  return nullptr;
}

bool SameCanonical(const json::value& a, const json::value& b) {
  if (a.is_double() || b.is_double()) {
    if (!a.is_double() || !b.is_double()) return false;
    const double x = a.get_double();
    const double y = b.get_double();
    return std::memcmp(&x, &y, sizeof x) == 0;
  }
  return a == b;
}

std::string Describe(const json::value& value) {
  if (!value.is_double()) {
    std::string text = json::serialize(value);
    return text.size() > 120 ? text.substr(0, 100) + "…(" + std::to_string(text.size()) + " chars)"
                             : text;
  }
  char buffer[64];
  auto end = std::to_chars(buffer, buffer + sizeof buffer, value.get_double()).ptr;
  return std::string(buffer, end) + " (double)";
}

std::string UuidText(const std::string& bytes) {
  core::Uuid uuid{};
  if (bytes.size() != uuid.size()) return "(not 16 bytes: " + std::to_string(bytes.size()) + ")";
  std::memcpy(uuid.data(), bytes.data(), uuid.size());
  return core::FormatUuid(uuid);
}

}  // namespace dataplane::parquet::readers
