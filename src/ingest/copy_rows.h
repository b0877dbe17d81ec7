#pragma once
// Encodes Events as rows of PostgreSQL's binary COPY format for the event table (the history
// row, payload included, in kCopyEvent's order; pg/binary_copy.h): ids as UUIDs, times as
// timestamps, figures as float8, metadata and payload as jsonb, absent optionals as NULL.
#include "ingest/event.h"
#include "pg/binary_copy.h"

namespace dataplane::ingest {

//! COPY statement matching AppendEventRow's column order and format.
extern const char* const kCopyEvent;

//! The number of fields AppendEventRow writes per row (kCopyEvent's columns).
inline constexpr int kEventRowFields = 17;

void AppendEventRow(pg::BinaryCopy& out, const Event& event);

}  // namespace dataplane::ingest
