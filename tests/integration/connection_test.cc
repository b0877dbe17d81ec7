// pg::Connection on the real server: the session settings every connection gets.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "harness.h"
#include "pg/connection.h"

namespace dataplane::testing {
namespace {

TEST(Connection, TheClientEncodingIsUtf8WhateverTheEnvironmentOrUrlSay) {
  ::setenv("PGCLIENTENCODING", "LATIN1", 1);
  auto from_env = pg::Connection::Open({Harness::Get().cluster().Url()});
  auto from_url =
      pg::Connection::Open({Harness::Get().cluster().Url() + "?client_encoding=LATIN1"});
  ::unsetenv("PGCLIENTENCODING");
  ASSERT_TRUE(from_env.ok()) << from_env.error().message;
  ASSERT_TRUE(from_url.ok()) << from_url.error().message;
  EXPECT_EQ((*from_env)->Exec("SHOW client_encoding").Text(0, 0), "UTF8");
  EXPECT_EQ((*from_url)->Exec("SHOW client_encoding").Text(0, 0), "UTF8");
  EXPECT_EQ((*from_env)->Exec("SHOW timezone").Text(0, 0), "UTC");
}

}  // namespace
}  // namespace dataplane::testing
