#include "core/text.h"

#include <gtest/gtest.h>

namespace dataplane::core {
namespace {

TEST(TextTest, TrimBlanksRemovesSpacesAndTabsAtBothEndsOnly) {
  EXPECT_EQ(TrimBlanks(" \t gzip ;q=1\t "), "gzip ;q=1");
  EXPECT_EQ(TrimBlanks(""), "");
  EXPECT_EQ(TrimBlanks(" \t "), "");
  EXPECT_EQ(TrimBlanks("a\nb"), "a\nb");  // only blanks, not line breaks
}

TEST(TextTest, EqualsIgnoringAsciiCase) {
  EXPECT_TRUE(EqualsIgnoringAsciiCase("GZip", "gzip"));
  EXPECT_TRUE(EqualsIgnoringAsciiCase("", ""));
  EXPECT_FALSE(EqualsIgnoringAsciiCase("gzip", "gzipx"));
  EXPECT_FALSE(EqualsIgnoringAsciiCase("\xc3\x84", "\xc3\xa4"));  // Ä, ä: not ASCII letters
}

}  // namespace
}  // namespace dataplane::core
