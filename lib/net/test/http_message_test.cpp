#include "conclave/net/http_message.h"

#include <gtest/gtest.h>

namespace conclave::net {
namespace {

TEST(HttpMessage, HeaderLookupIgnoresCase) {
  HttpRequest r;
  r.headers = {{"Content-Type", "application/json"}, {"authorization", "Bearer x"}};
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("AUTHORIZATION"), "Bearer x");
  EXPECT_EQ(r.header("x-missing"), "");
}

TEST(HttpMessage, PathDropsTheQuery) {
  HttpRequest r;
  r.target = "/api/v1/meetings/abc?x=1";
  EXPECT_EQ(r.path(), "/api/v1/meetings/abc");
  r.target = "/plain";
  EXPECT_EQ(r.path(), "/plain");
}

}  // namespace
}  // namespace conclave::net
