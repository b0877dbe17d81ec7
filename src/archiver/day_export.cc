#include "archiver/day_export.h"

#include <unistd.h>

#include <algorithm>
#include <memory>

#include "archiver/object_key.h"
#include "archiver/staged_file.h"
#include "core/version.h"
#include "pg/binary_copy_reader.h"
#include "pg/binary_fields.h"
#include "pg/migrations.h"

namespace dataplane::archiver {
namespace {

// A row of the export's binary COPY: per column its bytes, nullopt for NULL.
using CopyRow = std::vector<std::optional<std::string_view>>;

// One site's file being written.
struct SiteFile {
  ExportedPart part;
  std::unique_ptr<StagedFile> staged;
  std::unique_ptr<parquet::FileWriter> writer;
};

class DayWriter {
 public:
  DayWriter(const ArchivedTable& table, const TableLayout& layout, ArchiveDay day,
            const std::map<std::string, int>& first_parts, ObjectStore& store,
            const ExportSettings& settings)
      : table_(table),
        layout_(layout),
        day_(day),
        first_parts_(first_parts),
        store_(store),
        settings_(settings) {}

  ~DayWriter() {
    for (auto& [site, file] : files_) {
      if (file.staged) file.staged->Discard();
    }
  }

  core::Status Append(const CopyRow& row) {
    if (!row[layout_.site_column] || !row[layout_.time_column]) {
      return core::Error{core::ErrorKind::kInternal, "null_key", "a row without site or time", {}};
    }
    auto file = FileFor(*row[layout_.site_column]);
    if (!file) return file.error();
    AppendValues(*(*file)->writer, row);
    const core::Micros at = pg::BinaryTimestampTz(*row[layout_.time_column]);
    ExportedPart& part = (*file)->part;
    part.min_at = part.rows == 0 ? at : std::min(part.min_at, at);
    part.max_at = part.rows == 0 ? at : std::max(part.max_at, at);
    ++part.rows;
    return (*file)->writer->EndRow();
  }

  //! Closes every file (footer, fsync); the parts, by site.
  core::Result<std::vector<ExportedPart>> Finish() {
    std::vector<ExportedPart> parts;
    for (auto& [site, file] : files_) {
      if (core::Status closed = file.writer->Close(); !closed) return closed.error();
      auto info = file.staged->Finish();
      if (!info) return info.error();
      file.part.file = std::move(*info);
      parts.push_back(file.part);
    }
    files_.clear();
    return parts;
  }

 private:
  core::Result<SiteFile*> FileFor(std::string_view site_bytes) {
    auto it = files_.find(site_bytes);
    if (it != files_.end()) return &it->second;
    const std::string site(site_bytes);
    if (static_cast<int>(files_.size()) >= settings_.max_sites) {
      return core::Error{core::ErrorKind::kInternal,
                         "too_many_sites",
                         "more than " + std::to_string(settings_.max_sites) + " sites in " +
                             std::string(table_.name) + " rows of " + day_.Text(),
                         {}};
    }
    SiteFile file;
    const auto first = first_parts_.find(site);
    file.part.site_id = site;
    file.part.part = first == first_parts_.end() ? 0 : first->second;
    file.part.key = PartKey(settings_.prefix, site, table_.name, day_, file.part.part);
    auto path = store_.StagingPath(file.part.key);
    if (!path) return path.error();
    auto staged = StagedFile::Create(*path);
    if (!staged) return staged.error();
    file.staged = std::move(*staged);
    file.writer =
        std::make_unique<parquet::FileWriter>(layout_.specs, WriterOptionsFor(site), *file.staged);
    return &files_.emplace(site, std::move(file)).first->second;
  }

  parquet::WriterOptions WriterOptionsFor(const std::string& site) const {
    parquet::WriterOptions options;
    options.codec = settings_.codec;
    options.row_group_rows = settings_.row_group_rows;
    options.key_value_metadata = {
        {"dataplane.table", std::string(table_.name)},
        {"dataplane.site", site},
        {"dataplane.date", day_.Text()},
        {"dataplane.range_start", core::FormatRfc3339(day_.Start())},
        {"dataplane.range_end", core::FormatRfc3339(day_.End())},
        {"dataplane.schema_version", std::to_string(pg::kRequiredSchemaVersion)},
        {"dataplane.writer_version", std::string(core::kVersion)},
    };
    options.created_by = "dataplane " + std::string(core::kVersion);
    return options;
  }

  void AppendValues(parquet::FileWriter& writer, const CopyRow& row) const {
    for (int col = 0; col < static_cast<int>(layout_.columns.size()); ++col) {
      if (!row[col]) {
        writer.AppendNull(col);
        continue;
      }
      const std::string_view bytes = *row[col];
      switch (layout_.columns[col].type) {
        case SqlType::kText:
        case SqlType::kUuid:
          writer.AppendBytes(col, bytes);
          break;
        case SqlType::kJsonb:
          writer.AppendBytes(col, pg::BinaryJsonbText(bytes));
          break;
        case SqlType::kTimestampTz:
          writer.AppendInt64(col, pg::BinaryTimestampTz(bytes));
          break;
        case SqlType::kFloat8:
          writer.AppendDouble(col, pg::BinaryFloat8(bytes));
          break;
        case SqlType::kInt4:
        case SqlType::kInt8:
          writer.AppendInt64(col, pg::BinaryInt(bytes));
          break;
        case SqlType::kBool:
          writer.AppendBool(col, pg::BinaryBool(bytes));
          break;
      }
    }
  }

  const ArchivedTable& table_;
  const TableLayout& layout_;
  ArchiveDay day_;
  const std::map<std::string, int>& first_parts_;
  ObjectStore& store_;
  const ExportSettings& settings_;
  std::map<std::string, SiteFile, std::less<>> files_;  // by site id
};

// `sql` with its $1.. parameters replaced by quoted literals (COPY takes no parameters); the
// values are timestamps this code formatted, which hold no quote.
std::string WithLiterals(std::string sql, const pg::Params& params) {
  for (std::size_t i = params.size(); i-- > 0;) {
    const std::string placeholder = "$" + std::to_string(i + 1);
    const std::string literal = params[i] ? "'" + *params[i] + "'" : "NULL";
    for (std::size_t at = sql.find(placeholder); at != std::string::npos;
         at = sql.find(placeholder, at + literal.size())) {
      sql.replace(at, placeholder.size(), literal);
    }
  }
  return sql;
}

// The leaving rows, streamed by one COPY in binary: the server produces rows while this
// process encodes the ones it has (no round trip per batch), and memory holds one row.
core::Result<DayExport> ExportInSnapshot(pg::Connection& conn, const ArchivedTable& table,
                                         const TableLayout& layout, ArchiveDay day,
                                         core::Micros cutoff, DayWriter& writer) {
  const std::string copy = "COPY (SELECT " + SelectList(layout) + " FROM " +
                           std::string(table.name) + " WHERE " +
                           WithLiterals(LeavingRows(table), LeavingRowsParams(day, cutoff)) +
                           ") TO STDOUT (FORMAT binary)";
  pg::BinaryCopyReader reader(static_cast<int>(layout.columns.size()));
  CopyRow row;
  DayExport exported;
  auto copied = conn.TryCopyOut(copy, [&](std::string_view message) -> core::Status {
    auto decoded = reader.Next(message, row);
    if (!decoded) return decoded.error();
    if (!*decoded) return core::OkStatus();  // the trailer
    if (core::Status appended = writer.Append(row); !appended) return appended;
    if (layout.event_count_column >= 0 && row[layout.event_count_column]) {
      exported.event_count_sum += pg::BinaryInt(*row[layout.event_count_column]);
    }
    ++exported.rows;
    return core::OkStatus();
  });
  if (!copied) return copied.error();
  return exported;
}

}  // namespace

std::string CodecName(parquet::Codec codec) {
  switch (codec) {
    case parquet::Codec::kZstd:
      return "zstd";
    case parquet::Codec::kSnappy:
      return "snappy";
    case parquet::Codec::kUncompressed:
      return "none";
  }
  return "none";
}

void DiscardStaged(const std::vector<ExportedPart>& parts) {
  for (const ExportedPart& part : parts) ::unlink(part.file.path.c_str());
}

core::Result<DayExport> ExportDay(pg::Connection& conn, const ArchivedTable& table,
                                  const TableLayout& layout, ArchiveDay day, core::Micros cutoff,
                                  const std::map<std::string, int>& first_parts, ObjectStore& store,
                                  const ExportSettings& settings) {
  if (auto begun = conn.TryExec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !begun) {
    return begun.error();
  }
  DayWriter writer(table, layout, day, first_parts, store, settings);
  auto exported = ExportInSnapshot(conn, table, layout, day, cutoff, writer);
  if (!exported) {
    conn.ResetTransaction();
    return exported.error();
  }
  if (auto committed = conn.TryExec("COMMIT"); !committed) return committed.error();
  auto parts = writer.Finish();
  if (!parts) return parts.error();
  exported->parts = std::move(*parts);
  return exported;
}

}  // namespace dataplane::archiver
