#pragma once
// Encodes Events as rows of PostgreSQL's COPY text format: for the ingest_stage table (what the
// state upserts read: every column but the payload, in kCreateStageTable's order) and for the
// event table itself (the history row, payload included, in kCopyEvent's order). Tabs,
// newlines, carriage returns and backslashes in values are escaped; absent optionals are \N.
#include <string>

#include "ingest/event.h"

namespace dataplane::ingest {

//! The staging table every writer connection creates once (ON COMMIT DELETE ROWS).
extern const char* const kCreateStageTable;
//! COPY statement matching AppendStageRow's column order.
extern const char* const kCopyStage;
//! COPY statement matching AppendEventRow's column order.
extern const char* const kCopyEvent;

void AppendStageRow(std::string& out, int ordinal, const Event& event);
void AppendEventRow(std::string& out, const Event& event);

}  // namespace dataplane::ingest
