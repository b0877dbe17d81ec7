#include "archiver/day_export.h"

#include <unistd.h>

#include <algorithm>
#include <memory>

#include "archiver/object_key.h"
#include "archiver/staged_file.h"
#include "core/version.h"
#include "pg/migrations.h"

namespace dataplane::archiver {
namespace {

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

  core::Status Append(const pg::PgResult& rows, int row) {
    const std::string site(rows.Text(row, layout_.site_column));
    auto file = FileFor(site);
    if (!file) return file.error();
    AppendValues(*(*file)->writer, rows, row);
    const core::Micros at = rows.Micros(row, layout_.time_column);
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
  core::Result<SiteFile*> FileFor(const std::string& site) {
    auto it = files_.find(site);
    if (it != files_.end()) return &it->second;
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

  void AppendValues(parquet::FileWriter& writer, const pg::PgResult& rows, int row) const {
    for (int col = 0; col < static_cast<int>(layout_.columns.size()); ++col) {
      if (rows.IsNull(row, col)) {
        writer.AppendNull(col);
        continue;
      }
      switch (layout_.columns[col].type) {
        case SqlType::kText:
        case SqlType::kUuid:
          writer.AppendBytes(col, rows.Text(row, col));
          break;
        case SqlType::kJsonb:
          writer.AppendBytes(col, rows.Text(row, col).substr(1));
          break;
        case SqlType::kTimestampTz:
          writer.AppendInt64(col, rows.Micros(row, col));
          break;
        case SqlType::kFloat8:
          writer.AppendDouble(col, rows.Double(row, col));
          break;
        case SqlType::kInt4:
        case SqlType::kInt8:
          writer.AppendInt64(col, rows.Int64(row, col));
          break;
        case SqlType::kBool:
          writer.AppendBool(col, rows.Bool(row, col));
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
  std::map<std::string, SiteFile> files_;  // by site id
};

core::Result<DayExport> ExportInSnapshot(pg::Connection& conn, const ArchivedTable& table,
                                         const TableLayout& layout, ArchiveDay day,
                                         core::Micros cutoff, DayWriter& writer,
                                         const ExportSettings& settings) {
  const std::string declare = "DECLARE archive_export NO SCROLL CURSOR FOR SELECT " +
                              SelectList(layout) + " FROM " + std::string(table.name) + " WHERE " +
                              LeavingRows(table);
  if (auto declared = conn.TryExec(declare, LeavingRowsParams(day, cutoff)); !declared) {
    return declared.error();
  }
  const std::string fetch = "FETCH " + std::to_string(settings.fetch_rows) + " FROM archive_export";
  DayExport exported;
  for (;;) {
    auto rows = conn.TryExec(fetch, {}, pg::ResultFormat::kBinary);
    if (!rows) return rows.error();
    for (int row = 0; row < rows->Rows(); ++row) {
      if (core::Status appended = writer.Append(*rows, row); !appended) return appended.error();
      if (layout.event_count_column >= 0) {
        exported.event_count_sum += rows->Int64(row, layout.event_count_column);
      }
    }
    exported.rows += static_cast<std::uint64_t>(rows->Rows());
    if (rows->Rows() < settings.fetch_rows) break;
  }
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
  auto exported = ExportInSnapshot(conn, table, layout, day, cutoff, writer, settings);
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
