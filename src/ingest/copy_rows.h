#pragma once
// Encodes Events as rows of PostgreSQL's COPY text format for the event table (the history
// row, payload included, in kCopyEvent's order). Tabs, newlines, carriage returns and
// backslashes in values are escaped; absent optionals are \N.
#include <string>

#include "ingest/event.h"

namespace dataplane::ingest {

//! COPY statement matching AppendEventRow's column order.
extern const char* const kCopyEvent;

void AppendEventRow(std::string& out, const Event& event);

}  // namespace dataplane::ingest
