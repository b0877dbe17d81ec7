#include "reader_process.h"

#include <sys/wait.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "exact_json.h"

namespace dataplane::parquet::readers {
namespace {

namespace fs = std::filesystem;

const fs::path kReadersDir = DATAPLANE_PARQUET_READERS_DIR;

// Single-quoted for /bin/sh; the paths come from the test itself.
std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

core::Error ReaderFailed(Reader reader, const std::string& path, const std::string& why) {
  return {core::ErrorKind::kInternal,
          "reader_failed",
          std::string(ReaderName(reader)) + " could not read " + path + ": " + why,
          {}};
}

}  // namespace

const char* ReaderName(Reader reader) { return reader == Reader::kDuckDb ? "duckdb" : "hyparquet"; }

std::optional<std::string> ReadersMissing() {
  const fs::path modules = kReadersDir / "node_modules";
  for (const char* package : {"@duckdb/node-api", "hyparquet", "hyparquet-compressors"}) {
    if (!fs::exists(modules / package / "package.json")) {
      return "the Parquet test readers are not installed (" + (modules / package).string() +
             " is missing): run scripts/test-tools (or make test-tools) first";
    }
  }
  if (std::system("node --version >/dev/null 2>&1") != 0) {
    return "node (v20) is not on PATH: the Parquet test readers need it (see "
           "tests/parquet/readers/README.md), then run scripts/test-tools";
  }
  return std::nullopt;
}

core::Result<boost::json::value> RunReader(Reader reader, const std::string& path) {
  const std::string err_path = path + "." + ReaderName(reader) + ".stderr";
  const std::string command = "node " + ShellQuote((kReadersDir / "read.mjs").string()) + " " +
                              ReaderName(reader) + " " + ShellQuote(path) + " 2>" +
                              ShellQuote(err_path);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return ReaderFailed(reader, path, "popen failed");
  std::string out;
  char buffer[1 << 16];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  const int status = pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return ReaderFailed(reader, path,
                        "exit status " + std::to_string(status) + ": " + ReadWholeFile(err_path));
  }
  auto doc = ParseExactJson(out);
  if (!doc) return ReaderFailed(reader, path, doc.error().message);
  return doc;
}

namespace {

// `node readers/<script> <arguments…>`: its stdout parsed as JSON, or an Error with its output.
core::Result<boost::json::value> RunTool(const std::string& script,
                                         const std::vector<std::string>& arguments) {
  std::string command = "node " + ShellQuote((kReadersDir / script).string());
  for (const std::string& argument : arguments) command += " " + ShellQuote(argument);
  command += " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return ReaderFailed(Reader::kDuckDb, script, "popen failed");
  std::string out;
  char buffer[1 << 16];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  const int status = pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return core::Error{core::ErrorKind::kInternal,
                       "reader_failed",
                       script + " failed (exit status " + std::to_string(status) + "): " + out,
                       {}};
  }
  auto doc = ParseExactJson(out);
  if (!doc)
    return core::Error{core::ErrorKind::kInternal,
                       "reader_failed",
                       script + " printed no JSON: " + doc.error().message,
                       {}};
  return doc;
}

}  // namespace

core::Result<boost::json::value> RunDuckDbQuery(const std::string& sql) {
  return RunTool("query.mjs", {sql});
}

core::Result<boost::json::value> RunHyparquetScan(const std::string& path,
                                                  const std::string& filter_json,
                                                  const std::string& mode) {
  return RunTool("scan.mjs", {path, filter_json, mode});
}

}  // namespace dataplane::parquet::readers
