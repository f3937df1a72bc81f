#include "conclave/sdp/fields.h"

#include <gtest/gtest.h>

namespace conclave::sdp {
namespace {

TEST(Origin, ParsesChromiumOrigin) {
  auto o = Origin::parse("- 4611731400430051336 2 IN IP4 127.0.0.1");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->username, "-");
  EXPECT_EQ(o->session_id, 4611731400430051336u);
  EXPECT_EQ(o->session_version, 2u);
  EXPECT_EQ(o->address, "127.0.0.1");
  EXPECT_EQ(o->serialize(), "- 4611731400430051336 2 IN IP4 127.0.0.1");
  auto ff = Origin::parse("mozilla...THIS_IS_SDPARTA-99.0 4220713473066484286 0 IN IP4 0.0.0.0");
  ASSERT_TRUE(ff.ok());
  EXPECT_EQ(ff->username, "mozilla...THIS_IS_SDPARTA-99.0");
}

TEST(Origin, RejectsMalformed) {
  for (const char* bad :
       {"", "- 1 2 IN IP4", "- 1 2 IN IP4 a b", "- x 2 IN IP4 a", "- 1 -2 IN IP4 a",
        "- 18446744073709551616 2 IN IP4 a", "- 1 2 I:N IP4 a"}) {
    auto r = Origin::parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(r.error().is(Errc::invalid_origin)) << bad;
  }
}

TEST(Connection, ParsesAndChoosesAddressType) {
  auto c = Connection::parse("IN IP6 fe80::1");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->addr_type, "IP6");
  EXPECT_EQ(c->serialize(), "IN IP6 fe80::1");
  EXPECT_EQ(Connection::for_address("::1").addr_type, "IP6");
  EXPECT_EQ(Connection::for_address("127.0.0.1").serialize(), "IN IP4 127.0.0.1");
  EXPECT_TRUE(Connection::parse("IN IP4").error().is(Errc::invalid_connection));
  EXPECT_TRUE(Connection::parse("IN IP4 a b").error().is(Errc::invalid_connection));
}

TEST(Bandwidth, ParsesTypeAndValue) {
  auto b = Bandwidth::parse("AS:2000");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->type, "AS");
  EXPECT_EQ(b->value, 2000u);
  EXPECT_EQ(b->serialize(), "AS:2000");
  for (const char* bad : {"", "AS", "AS:", ":1", "AS:x", "A S:1"}) {
    EXPECT_TRUE(Bandwidth::parse(bad).error().is(Errc::invalid_bandwidth)) << bad;
  }
}

TEST(Timing, ParsesStartAndStop) {
  auto t = Timing::parse("0 0");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->serialize(), "0 0");
  EXPECT_EQ(Timing::parse("3034423619 3042462419")->stop, 3042462419u);
  for (const char* bad : {"", "0", "0 0 0", "x 0"}) {
    EXPECT_TRUE(Timing::parse(bad).error().is(Errc::invalid_timing)) << bad;
  }
}

}  // namespace
}  // namespace conclave::sdp
