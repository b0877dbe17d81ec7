#include "archiver/day_export.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <tuple>

#include "archiver/object_key.h"
#include "archiver/staged_file.h"
#include "core/version.h"
#include "pg/binary_copy_reader.h"
#include "pg/binary_fields.h"
#include "pg/migrations.h"
#include "pg/parallel_copy_out.h"

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
            const std::map<std::string, int>& first_parts, int part_offset, ObjectStore& store,
            const ExportSettings& settings)
      : table_(table),
        layout_(layout),
        day_(day),
        first_parts_(first_parts),
        part_offset_(part_offset),
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

  //! Closes every file (footer, fsync), adding its part to `parts`.
  core::Status Finish(std::vector<ExportedPart>& parts) {
    for (auto& [site, file] : files_) {
      if (core::Status closed = file.writer->Close(); !closed) return closed.error();
      auto info = file.staged->Finish();
      if (!info) return info.error();
      file.part.file = std::move(*info);
      parts.push_back(file.part);
    }
    files_.clear();
    return core::OkStatus();
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
    file.part.part = (first == first_parts_.end() ? 0 : first->second) + part_offset_;
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
  const int part_offset_;  // this stream's index: a provisional number, unique among the streams
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

// The condition selecting the day's leaving rows, its parameters written in.
std::string LeavingRowsCondition(const ArchivedTable& table, ArchiveDay day, core::Micros cutoff) {
  return WithLiterals(LeavingRows(table), LeavingRowsParams(day, cutoff));
}

// Stream `index` of `streams` takes the rows of its share of the day's time range, so that each
// part file holds a contiguous stretch of time (row order and compression as with one stream).
std::string CopyOfLeavingRows(const ArchivedTable& table, const TableLayout& layout, ArchiveDay day,
                              core::Micros cutoff, std::size_t index, std::size_t streams) {
  std::string where = LeavingRowsCondition(table, day, cutoff);
  if (streams > 1) {
    const core::Micros span = day.End() - day.Start();
    const auto bound = [&](std::size_t k) {
      return "'" +
             core::FormatPgTimestamp(day.Start() + span * static_cast<core::Micros>(k) /
                                                       static_cast<core::Micros>(streams)) +
             "'::timestamptz";
    };
    const std::string column(table.time_column);
    where += " AND " + column + " >= " + bound(index) + " AND " + column + " < " + bound(index + 1);
  }
  return "COPY (SELECT " + SelectList(layout) + " FROM " + std::string(table.name) + " WHERE " +
         where + ") TO STDOUT (FORMAT binary)";
}

// The planner's estimate of the day's leaving rows (EXPLAIN's top node): how many streams pay.
core::Result<double> EstimatedRows(pg::Connection& conn, const ArchivedTable& table, ArchiveDay day,
                                   core::Micros cutoff) {
  auto plan = conn.TryExec("EXPLAIN SELECT 1 FROM " + std::string(table.name) + " WHERE " +
                           LeavingRowsCondition(table, day, cutoff));
  if (!plan) return plan.error();
  const std::string_view top = plan->Rows() > 0 ? plan->Text(0, 0) : std::string_view();
  const std::size_t at = top.find(" rows=");
  if (at == std::string_view::npos) return 0.0;
  return std::strtod(std::string(top.substr(at + 6)).c_str(), nullptr);
}

// The streams one day's export uses: one per `rows_per_stream` rows estimated (every connection
// when 0), at least one, at most one per connection.
core::Result<std::size_t> StreamsFor(const std::vector<pg::Connection*>& conns,
                                     const ArchivedTable& table, ArchiveDay day,
                                     core::Micros cutoff, const ExportSettings& settings) {
  if (conns.size() == 1 || settings.rows_per_stream == 0) return conns.size();
  auto rows = EstimatedRows(*conns.front(), table, day, cutoff);
  if (!rows) return rows.error();
  const double shares = *rows / static_cast<double>(settings.rows_per_stream);
  return std::clamp<std::size_t>(static_cast<std::size_t>(shares), 1, conns.size());
}

// The leaving rows, streamed by one binary COPY per connection (pg/parallel_copy_out.h) into one
// writer per stream: the servers produce rows while this thread encodes the ones it has (no
// round trip per batch), and memory holds the queue's bound and a row group per file.
core::Result<DayExport> ExportInSnapshot(const std::vector<pg::Connection*>& conns,
                                         const ArchivedTable& table, const TableLayout& layout,
                                         ArchiveDay day, core::Micros cutoff,
                                         std::vector<std::unique_ptr<DayWriter>>& writers) {
  std::vector<pg::CopyOutStream> streams;
  std::vector<pg::BinaryCopyReader> readers;
  for (std::size_t i = 0; i < conns.size(); ++i) {
    streams.push_back({conns[i], CopyOfLeavingRows(table, layout, day, cutoff, i, conns.size())});
    readers.emplace_back(static_cast<int>(layout.columns.size()));
  }
  CopyRow row;
  DayExport exported;
  auto copied = pg::ParallelCopyOut(
      streams, [&](std::size_t stream, std::string_view message) -> core::Status {
        auto decoded = readers[stream].Next(message, row);
        if (!decoded) return decoded.error();
        if (!*decoded) return core::OkStatus();  // the trailer
        if (core::Status appended = writers[stream]->Append(row); !appended) return appended;
        if (layout.event_count_column >= 0 && row[layout.event_count_column]) {
          exported.event_count_sum += pg::BinaryInt(*row[layout.event_count_column]);
        }
        ++exported.rows;
        return core::OkStatus();
      });
  if (!copied) return copied.error();
  return exported;
}

// The final part numbers: each site's files, in stream order (which is time order), numbered on
// from its first part without gaps (a stream without rows of a site has no file of it). The
// staged files keep their provisional names: the store renames them to the key.
void NumberParts(const ArchivedTable& table, ArchiveDay day,
                 const std::map<std::string, int>& first_parts, const ExportSettings& settings,
                 std::vector<ExportedPart>& parts) {
  std::stable_sort(parts.begin(), parts.end(), [](const ExportedPart& a, const ExportedPart& b) {
    return std::tie(a.site_id, a.part) < std::tie(b.site_id, b.part);
  });
  std::map<std::string, int> next(first_parts.begin(), first_parts.end());
  for (ExportedPart& part : parts) {
    part.part = next[part.site_id]++;
    part.key = PartKey(settings.prefix, part.site_id, table.name, day, part.part);
  }
}

// One REPEATABLE READ READ ONLY transaction per connection, all in the first one's snapshot
// (pg_export_snapshot), so that every stream sees the same rows.
core::Status BeginSharedSnapshot(const std::vector<pg::Connection*>& conns) {
  constexpr std::string_view kBegin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  if (auto begun = conns.front()->TryExec(kBegin); !begun) return begun.error();
  if (conns.size() == 1) return core::OkStatus();
  auto snapshot = conns.front()->TryExec("SELECT pg_export_snapshot()");
  if (!snapshot) return snapshot.error();
  const std::string set = "SET TRANSACTION SNAPSHOT '" + std::string(snapshot->Text(0, 0)) + "'";
  for (std::size_t i = 1; i < conns.size(); ++i) {
    if (auto begun = conns[i]->TryExec(kBegin); !begun) return begun.error();
    if (auto joined = conns[i]->TryExec(set); !joined) return joined.error();
  }
  return core::OkStatus();
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

core::Result<DayExport> ExportDay(const std::vector<pg::Connection*>& conns,
                                  const ArchivedTable& table, const TableLayout& layout,
                                  ArchiveDay day, core::Micros cutoff,
                                  const std::map<std::string, int>& first_parts, ObjectStore& store,
                                  const ExportSettings& settings) {
  auto streams = StreamsFor(conns, table, day, cutoff, settings);
  if (!streams) return streams.error();
  const std::vector<pg::Connection*> used(conns.begin(), conns.begin() + *streams);
  auto roll_back = [&] {
    for (pg::Connection* conn : used) conn->ResetTransaction();
  };
  if (core::Status begun = BeginSharedSnapshot(used); !begun) {
    roll_back();
    return begun.error();
  }
  std::vector<std::unique_ptr<DayWriter>> writers;
  for (std::size_t i = 0; i < used.size(); ++i) {
    writers.push_back(std::make_unique<DayWriter>(table, layout, day, first_parts,
                                                  static_cast<int>(i), store, settings));
  }
  auto exported = ExportInSnapshot(used, table, layout, day, cutoff, writers);
  if (!exported) {
    roll_back();
    return exported.error();
  }
  for (pg::Connection* conn : used) {
    if (auto committed = conn->TryExec("COMMIT"); !committed) {
      roll_back();
      return committed.error();
    }
  }
  for (auto& writer : writers) {
    if (core::Status finished = writer->Finish(exported->parts); !finished) {
      DiscardStaged(exported->parts);
      return finished.error();
    }
  }
  NumberParts(table, day, first_parts, settings, exported->parts);
  return exported;
}

}  // namespace dataplane::archiver
