#include "conclave/net/https_client.h"

#include <gtest/gtest.h>

namespace conclave::net {
namespace {

TEST(HttpsUrl, ParsesHostPortAndPath) {
  auto u = HttpsUrl::parse("https://127.0.0.1:8443/j/abc");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->path, "/j/abc");
  auto d = HttpsUrl::parse("https://localhost");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->port, 443);
  EXPECT_EQ(d->path, "/");
  auto v6 = HttpsUrl::parse("https://[::1]:9000/x");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 9000);
}

TEST(HttpsUrl, RejectsOtherSchemesAndBadPorts) {
  for (std::string_view bad : {"http://127.0.0.1:8443", "https://", "https://:8443", "https://h:0",
                               "https://h:65536", "https://h:x", "https://user@h/", "https://h:",
                               "ftp://h", "https://[::1"}) {
    EXPECT_FALSE(HttpsUrl::parse(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace conclave::net
