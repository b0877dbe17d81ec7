#pragma once
// Runs one of the independent Parquet readers of tests/parquet/readers (`node read.mjs <reader>
// FILE`, see its README.md) and returns the JSON document it printed, parsed with exact doubles.
// The readers' directory is the compile definition DATAPLANE_PARQUET_READERS_DIR.
//
// ReadersMissing() says why the readers cannot run (node_modules absent or incomplete, no node),
// so that a test fails with "run scripts/test-tools" instead of skipping. RunReader returns an
// Error carrying the reader's stderr when it exits non-zero or prints something that is not
// JSON. Blocking; safe to call from one thread at a time per file.
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "core/error.h"

namespace dataplane::parquet::readers {

enum class Reader { kDuckDb, kHyparquet };

const char* ReaderName(Reader reader);

//! nullopt when both readers can run; else what is missing and how to install it.
std::optional<std::string> ReadersMissing();

//! The document `reader` prints for the Parquet file at `path`.
core::Result<boost::json::value> RunReader(Reader reader, const std::string& path);

//! The answer of DuckDB to one SQL statement (`node query.mjs SQL`): {"columns": [...],
//! "rows": [[...]]}, every value as a string (NULL as null).
core::Result<boost::json::value> RunDuckDbQuery(const std::string& sql);

//! The rows hyparquet's pruning leaves for `filter_json` (`node scan.mjs`), using the page index
//! ("index"), the Bloom filters ("bloom") or neither ("none"): {"ranges": [[start, end]…],
//! "bytes_read": N}.
core::Result<boost::json::value> RunHyparquetScan(const std::string& path,
                                                  const std::string& filter_json,
                                                  const std::string& mode);

}  // namespace dataplane::parquet::readers
