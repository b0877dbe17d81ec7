#pragma once
// Builds the WHERE clause of a query from optional conditions, numbering their placeholders:
// each condition is written with "$?" for each of its values, in order, and becomes $1, $2, …
// in the order values were added. The values are sent as parameters, never spliced into the
// text, so that the text — the key of a prepared statement — depends only on which conditions
// are present.
#include <string>
#include <vector>

#include "pg/connection.h"

namespace dataplane::pg {

struct SqlBuilder {
  std::vector<std::string> conditions;
  Params params;

  //! `condition` holds one "$?" per value.
  void Add(std::string condition, std::vector<std::string> values);
  //! `column` equals one of `values` (at least one): "column IN ($n, $n+1, …)".
  void AddOneOf(const std::string& column, std::vector<std::string> values);
  //! `column` contains `text`, ignoring case (strpos, not LIKE: % and _ in `text` are literal,
  //! so nothing needs escaping).
  void AddContainsIgnoringCase(const std::string& column, std::string text);
  //! " WHERE c1 AND c2 …" (empty without conditions), with `extra` as a last condition.
  std::string Where(const std::string& extra = {}) const;
};

}  // namespace dataplane::pg
