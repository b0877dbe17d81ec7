// Tests of the binary array builder: the exact header (dimensions, null flag, element type,
// length and lower bound) before the elements, the empty array, and a builder reused after Take.
#include "pg/binary_array.h"

#include <string>

#include <gtest/gtest.h>

namespace dataplane::pg {
namespace {

using namespace std::string_literals;

TEST(BinaryArrayTest, AnEmptyArrayHasNoDimensions) {
  BinaryArray uuids(ElementType::kUuid);
  EXPECT_EQ(uuids.Take(), "\0\0\0\0"s + "\0\0\0\0"s + "\0\0\x0b\x86"s);  // 2950 = 0x0b86
}

TEST(BinaryArrayTest, ElementsFollowOneDimensionFromOne) {
  BinaryArray texts(ElementType::kText);
  texts.Text("ab");
  texts.Text("");
  EXPECT_EQ(texts.values(), 2);
  EXPECT_EQ(texts.Take(), "\0\0\0\1"s + "\0\0\0\0"s + "\0\0\0\x19"s + "\0\0\0\2"s + "\0\0\0\1"s +
                              "\0\0\0\2ab"s + "\0\0\0\0"s);
}

TEST(BinaryArrayTest, ANullElementSetsTheFlagAndTakeStartsAfresh) {
  BinaryArray counts(ElementType::kInt4);
  counts.Int4(-2);
  counts.Null();
  EXPECT_EQ(counts.Take(), "\0\0\0\1"s + "\0\0\0\1"s + "\0\0\0\x17"s + "\0\0\0\2"s + "\0\0\0\1"s +
                               "\0\0\0\4\xff\xff\xff\xfe"s + "\xff\xff\xff\xff"s);
  counts.Int4(1);
  EXPECT_EQ(counts.Take(), "\0\0\0\1"s + "\0\0\0\0"s + "\0\0\0\x17"s + "\0\0\0\1"s + "\0\0\0\1"s +
                               "\0\0\0\4\0\0\0\1"s);
}

}  // namespace
}  // namespace dataplane::pg
