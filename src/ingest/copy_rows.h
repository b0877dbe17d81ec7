#pragma once
// Encodes Events as rows of PostgreSQL's COPY text format for the ingest_stage table
// (columns in kCreateStageTable's order). Tabs, newlines, carriage returns and backslashes in
// values are escaped; absent optionals are \N.
#include <string>

#include "ingest/event.h"

namespace dataplane::ingest {

//! The staging table every writer connection creates once (ON COMMIT DELETE ROWS).
extern const char* const kCreateStageTable;
//! COPY statement matching AppendCopyRow's column order.
extern const char* const kCopyStage;

void AppendCopyRow(std::string& out, int ordinal, const Event& event);

}  // namespace dataplane::ingest
