#include "archive_world.h"

#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include <boost/json.hpp>

#include "archiver/staged_file.h"
#include "pg/migrations.h"

namespace dataplane::testing {
namespace json = boost::json;

std::string OldAt(double seconds) {
  const core::Micros day = 86'400 * core::kMicrosPerSecond;
  const core::Micros noon = (core::NowMicros() / day - 5) * day + day / 2;
  return core::FormatRfc3339(noon + static_cast<core::Micros>(seconds * core::kMicrosPerSecond));
}

namespace {

std::string ShellQuoted(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

std::vector<std::vector<std::string>> Duck(const std::string& sql) {
  const std::string command = std::string("node ") + DATAPLANE_SOURCE_DIR +
                              "/tests/parquet/readers/query.mjs " + ShellQuoted(sql) + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  const int status = pipe ? ::pclose(pipe) : -1;
  json::error_code error;
  const json::value answer = json::parse(out, error);
  if (status != 0 || error || !answer.is_object() || !answer.as_object().contains("rows")) {
    ADD_FAILURE() << "duckdb failed on " << sql << ": " << out;
    return {};
  }
  std::vector<std::vector<std::string>> rows;
  for (const json::value& row : answer.at("rows").as_array()) {
    std::vector<std::string> values;
    for (const json::value& v : row.as_array()) {
      values.push_back(v.is_string() ? std::string(v.as_string()) : json::serialize(v));
    }
    rows.push_back(std::move(values));
  }
  return rows;
}

void ArchiveWorld::SetUp() {
  Harness::Get().RecreateDatabase(kDatabase);
  db_ = Open();
  pg::Migrate(*db_);
  // Every day is read by two streams, whatever its size (the archiver process, which the crash
  // tests run, reads a small day with one).
  settings_.export_settings.streams = 2;
  settings_.export_settings.rows_per_stream = 0;
  local_api::LocalApiConfig config = Harness::Get().ApiConfig();
  config.database_url = Url();
  api_ = std::make_unique<TestApi>(config);
  ASSERT_TRUE(api_->Start().ok());
  client_ = std::make_unique<http::HttpClient>("127.0.0.1", api_->port());
  char pattern[] = "/tmp/dataplane-it-archive-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  dir_ = pattern;
  auto store = archiver::LocalObjectStore::Open(ArchiveDir());
  ASSERT_TRUE(store) << store.error().message;
  store_ = std::move(*store);
}

void ArchiveWorld::TearDown() {
  api_.reset();
  std::filesystem::remove_all(dir_);
}

std::string ArchiveWorld::Url() const { return Harness::Get().UrlOf(kDatabase); }

std::unique_ptr<pg::Connection> ArchiveWorld::Open() const {
  auto conn = pg::Connection::Open({Url()});
  EXPECT_TRUE(conn.ok());
  return std::move(*conn);
}

std::string ArchiveWorld::Post(const std::string& body) {
  auto reply = client_->Post("/v1/event", body);
  EXPECT_TRUE(reply.ok());
  if (!reply.ok()) return "error";
  EXPECT_EQ(reply->status, 200) << reply->body;
  if (reply->status != 200) return "error " + std::to_string(reply->status);
  return std::string(json::parse(reply->body).at("status").as_string());
}

void ArchiveWorld::PostFinishedJob(const std::string& job, const std::string& sub,
                                   const std::string& site) {
  EXPECT_EQ(Post(MakeEvent({.id = job, .kind = "started", .at = OldAt(), .site = site})),
            "inserted");
  EXPECT_EQ(Post(MakeEvent({.type = "subjob",
                            .id = sub,
                            .parent = job,
                            .kind = "started",
                            .at = OldAt(10),
                            .site = site})),
            "inserted");
  EXPECT_EQ(Post(MakeEvent({.type = "subjob",
                            .id = sub,
                            .parent = job,
                            .kind = "finished",
                            .status = "succeeded",
                            .at = OldAt(20),
                            .duration_s = 10,
                            .site = site})),
            "inserted");
  EXPECT_EQ(Post(MakeEvent({.id = job,
                            .kind = "finished",
                            .status = "succeeded",
                            .at = OldAt(30),
                            .duration_s = 30,
                            .site = site})),
            "inserted");
}

archiver::RunSummary ArchiveWorld::Archive() {
  auto conn = Open();
  auto summary = archiver::RunArchiver(*conn, *store_, settings_, core::NowMicros());
  EXPECT_TRUE(summary) << summary.error().message;
  return summary ? *summary : archiver::RunSummary{};
}

std::int64_t ArchiveWorld::Count(const std::string& sql) { return db_->Exec(sql).Int64(0, 0); }

int ArchiveWorld::RunArchiverProcess(const std::vector<std::string>& env, const std::string& prefix,
                                     const std::string& arguments) {
  std::string command = prefix + " env DATABASE_URL=" + ShellQuoted(Url()) +
                        " ARCHIVE_DIR=" + ShellQuoted(ArchiveDir());
  for (const std::string& setting : env) command += " " + ShellQuoted(setting);
  command +=
      std::string(" ") + DATAPLANE_BINARY + " archiver " + arguments + " >" + log_path() + " 2>&1";
  return std::system(("sh -c " + ShellQuoted(command)).c_str());
}

RowIds ArchiveWorld::HotRows() {
  RowIds rows;
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"event", "SELECT idempotency_key || ':1' FROM event"},
      {"job", "SELECT job_id::text || ':' || event_count FROM job"},
      {"subjob", "SELECT subjob_id::text || ':' || event_count FROM subjob"}};
  for (const auto& [table, sql] : queries) {
    auto result = db_->Exec(sql);
    std::multiset<std::string>& ids = rows[table];  // an empty table has an entry too
    for (int r = 0; r < result.Rows(); ++r) ids.emplace(result.Text(r, 0));
  }
  return rows;
}

RowIds ArchiveWorld::ArchivedRows() {
  RowIds rows;
  const std::vector<std::pair<std::string, std::string>> columns = {
      {"event", "idempotency_key || ':1'"},
      {"job", "job_id::text || ':' || event_count"},
      {"subjob", "subjob_id::text || ':' || event_count"}};
  for (const auto& [table, column] : columns) {
    auto keys = db_->Exec("SELECT object_key FROM archive_manifest WHERE table_name = '" + table +
                          "' ORDER BY object_key");
    if (keys.Rows() == 0) continue;
    std::string files;
    for (int r = 0; r < keys.Rows(); ++r) {
      files += (r ? ", '" : "'") + ArchiveDir() + "/" + std::string(keys.Text(r, 0)) + "'";
    }
    for (const auto& row : Duck("SELECT " + column + " FROM read_parquet([" + files + "])")) {
      rows[table].insert(row.at(0));
    }
  }
  return rows;
}

void ArchiveWorld::ExpectExactlyOnce(const RowIds& original, bool allow_orphans) {
  RowIds all = HotRows();
  for (const auto& [table, ids] : ArchivedRows()) all[table].insert(ids.begin(), ids.end());
  for (const char* table : {"event", "job", "subjob"}) {
    EXPECT_EQ(all[table], original.at(table)) << table << ": hot + archive differ from the rows";
  }
  // Every file in the folder is a manifest row with its size and checksum, and back.
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(ArchiveDir())) {
    if (entry.is_regular_file()) {
      files.insert(std::filesystem::relative(entry.path(), ArchiveDir()).string());
    }
  }
  auto manifest = db_->Exec("SELECT object_key, bytes, sha256, rows FROM archive_manifest");
  std::set<std::string> keys;
  std::int64_t manifest_rows = 0;
  for (int r = 0; r < manifest.Rows(); ++r) {
    const std::string key(manifest.Text(r, 0));
    keys.insert(key);
    manifest_rows += manifest.Int64(r, 3);
    auto file = archiver::HashFile(ArchiveDir() + "/" + key);
    ASSERT_TRUE(file) << file.error().message;
    EXPECT_EQ(static_cast<std::int64_t>(file->bytes), manifest.Int64(r, 1)) << key;
    EXPECT_EQ(file->sha256_hex, manifest.Text(r, 2)) << key;
  }
  for (const std::string& key : keys) EXPECT_EQ(files.count(key), 1u) << key << " is missing";
  if (!allow_orphans) {
    EXPECT_EQ(files, keys) << "objects that no manifest row names";
  }
  std::int64_t archived = 0;
  for (const auto& [table, ids] : ArchivedRows()) archived += static_cast<std::int64_t>(ids.size());
  EXPECT_EQ(manifest_rows, archived);
}

}  // namespace dataplane::testing
