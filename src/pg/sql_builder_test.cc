// Tests of SqlBuilder: placeholders numbered in the order values were added, values only ever
// sent as parameters.
#include "pg/sql_builder.h"

#include <gtest/gtest.h>

namespace dataplane::pg {
namespace {

TEST(SqlBuilderTest, NumbersPlaceholdersInOrderAndKeepsValuesOutOfTheText) {
  SqlBuilder q;
  EXPECT_EQ(q.Where(), "");
  q.Add("a >= $?", {"1"});
  q.AddOneOf("status", {"failed", "canceled"});
  q.AddContainsIgnoringCase("app_name", "50%_'x");
  EXPECT_EQ(q.Where("b = $5"),
            " WHERE a >= $1 AND status IN ($2, $3) AND strpos(lower(app_name), lower($4)) > 0"
            " AND b = $5");
  EXPECT_EQ(q.params, (Params{"1", "failed", "canceled", "50%_'x"}));
}

}  // namespace
}  // namespace dataplane::pg
