#pragma once
// Test helper: runs `promtool check metrics` (Debian package prometheus, installed by
// scripts/bootstrap) on an exposition text — EXPECT_TRUE(PromtoolAccepts(text)). A missing
// promtool is a failure, not a skip.
#include <string>

#include <gtest/gtest.h>

namespace dataplane::metrics::testing {

//! Success when promtool exits 0 and prints nothing (valid and lint-clean); else a failure
//! carrying promtool's output and the text.
::testing::AssertionResult PromtoolAccepts(const std::string& exposition);

}  // namespace dataplane::metrics::testing
