#pragma once
// What `dataplane db maintain` prints about a run: one JSON object (--json) or a few lines.
#include <string>

#include "pg/maintenance.h"

namespace dataplane::commands {

std::string MaintenanceSummaryJson(const pg::MaintenanceSummary& summary);
std::string MaintenanceSummaryText(const pg::MaintenanceSummary& summary);

}  // namespace dataplane::commands
