#include "conclave/sdp/transport_params.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace conclave::sdp {
namespace {

using test::load_sdp;
using test::remove_lines;
using test::replace_all;

SessionDescription parse_ok(const std::string& text) {
  auto d = SessionDescription::parse(text);
  EXPECT_TRUE(d.ok()) << d.error().to_string();
  return d.ok() ? *d : SessionDescription{};
}

Error transport_error(const std::string& text) {
  const SessionDescription d = parse_ok(text);
  if (d.media.empty()) return Error(Errc::no_acceptable_media, "test: no media");
  auto t = TransportParams::from_description(d, d.media[0]);
  EXPECT_FALSE(t.ok());
  return t.ok() ? Error(Errc::invalid_line, "test: parsed") : t.error();
}

TEST(TransportParams, ReadsTheChromiumOffer) {
  const SessionDescription d = parse_ok(load_sdp("chromium_offer.sdp"));
  ASSERT_EQ(d.media.size(), 3u);
  auto t = TransportParams::from_description(d, d.media[0]);
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  EXPECT_EQ(t->ice_ufrag, "Xr3n");
  EXPECT_EQ(t->ice_pwd, "k5TkE1lKx6aF2lWn5Qf0bXyZ");
  EXPECT_FALSE(t->ice_lite);
  EXPECT_EQ(t->fingerprint_algorithm, "sha-256");
  EXPECT_EQ(t->fingerprint,
            "A5:4D:CA:18:25:30:BB:1D:6D:13:2C:DE:D6:23:7B:2E:D9:1E:3F:72:1F:CB:19:71:17:44:94:D6:"
            "49:3C:9D:5C");
  EXPECT_EQ(t->setup, Setup::actpass);
  ASSERT_EQ(t->candidates.size(), 3u);
  EXPECT_EQ(t->candidates[1].transport, "tcp");
  EXPECT_TRUE(t->validate().ok());
}

TEST(TransportParams, NormalizesTheFingerprint) {
  const SessionDescription d = parse_ok(load_sdp("werift_offer.sdp"));
  auto t = TransportParams::from_description(d, d.media[1]);
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  EXPECT_EQ(t->fingerprint.substr(0, 8), "34:60:BE");
  ASSERT_EQ(t->candidates.size(), 2u);
  EXPECT_EQ(t->candidates[1].related_port, 50001);
}

TEST(TransportParams, FallsBackToTheSessionLevel) {
  // Firefox puts the fingerprint (and here everything) at the session level.
  const std::string text =
      "v=0\r\no=mozilla...THIS_IS_SDPARTA-120.0 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
      "a=fingerprint:sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33\r\n"
      "a=fingerprint:SHA-256 a5:4d:ca:18:25:30:bb:1d:6d:13:2c:de:d6:23:7b:2e:d9:1e:3f:72:1f:cb:"
      "19:71:17:44:94:d6:49:3c:9d:5c\r\n"
      "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789012345678901\r\na=setup:active\r\na=ice-lite\r\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 109\r\na=mid:0\r\n";
  const SessionDescription d = parse_ok(text);
  auto t = TransportParams::from_description(d, d.media[0]);
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  EXPECT_EQ(t->ice_ufrag, "abcd");
  EXPECT_TRUE(t->ice_lite);
  EXPECT_EQ(t->setup, Setup::active);
  EXPECT_EQ(t->fingerprint_algorithm, "sha-256");
  EXPECT_EQ(t->fingerprint.substr(0, 5), "A5:4D");
  EXPECT_TRUE(t->candidates.empty());
}

TEST(TransportParams, RefusesMissingParts) {
  const std::string text = load_sdp("chromium_offer.sdp");
  ASSERT_FALSE(text.empty());
  EXPECT_TRUE(transport_error(remove_lines(text, "a=ice-ufrag")).is(Errc::missing_ice_credentials));
  EXPECT_TRUE(transport_error(remove_lines(text, "a=ice-pwd")).is(Errc::missing_ice_credentials));
  EXPECT_TRUE(transport_error(remove_lines(text, "a=fingerprint")).is(Errc::missing_fingerprint));
  EXPECT_TRUE(transport_error(replace_all(text,
                                          "a=fingerprint:sha-256 A5:4D:CA:18:25:30:BB:1D:6D:"
                                          "13:2C:DE:D6:23:7B:2E:D9:1E:3F:72:1F:CB:19:71:17:"
                                          "44:94:D6:49:3C:9D:5C",
                                          "a=fingerprint:sha-1 00:11:22:33:44:55:66:77:88:99:AA:"
                                          "BB:CC:DD:EE:FF:00:11:22:33"))
                  .is(Errc::unsupported_fingerprint));
  EXPECT_TRUE(transport_error(remove_lines(text, "a=setup")).is(Errc::unacceptable_setup));
}

TEST(TransportParams, RefusesHandBuiltGarbage) {
  SessionDescription d;
  MediaDescription m;
  m.formats = {"0"};
  m.add("ice-ufrag", "a b");
  m.add("ice-pwd", "0123456789012345678901");
  d.media.push_back(m);
  EXPECT_TRUE(TransportParams::from_description(d, d.media[0]).error().is(Errc::invalid_ice));
}

TEST(TransportParams, ValidateChecksWhatBuildersWrite) {
  EXPECT_TRUE(test::server_params().validate().ok());
  EXPECT_TRUE(test::client_params().validate().ok());
  auto bad = test::server_params();
  bad.ice_ufrag = "abc";
  EXPECT_TRUE(bad.validate().error().is(Errc::invalid_ice));
  bad = test::server_params();
  bad.ice_pwd = "short";
  EXPECT_TRUE(bad.validate().error().is(Errc::invalid_ice));
  bad = test::server_params();
  bad.fingerprint_algorithm = "sha-1";
  EXPECT_TRUE(bad.validate().error().is(Errc::unsupported_fingerprint));
  bad = test::server_params();
  bad.fingerprint = "AB:CD";
  EXPECT_TRUE(bad.validate().error().is(Errc::invalid_fingerprint));
  bad = test::server_params();
  bad.candidates[0].address = "127.0.0.1 1";
  EXPECT_TRUE(bad.validate().error().is(Errc::invalid_candidate));
  bad = test::server_params();
  bad.candidates[0].type = "";
  EXPECT_TRUE(bad.validate().error().is(Errc::invalid_candidate));
}

TEST(TransportParams, AddToRoundTrips) {
  TransportParams t = test::server_params();
  SessionDescription d;
  MediaDescription m;
  m.formats = {"111"};
  t.add_to(m);
  d.media.push_back(m);
  d.add("ice-lite");
  ASSERT_NE(m.find("end-of-candidates"), nullptr);
  EXPECT_EQ(m.find("candidate")->value, "1 1 udp 2130706431 127.0.0.1 40000 typ host");
  EXPECT_EQ(m.find("setup")->value, "passive");
  auto parsed = SessionDescription::parse(d.serialize());
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  auto back = TransportParams::from_description(*parsed, parsed->media[0]);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, t);

  t.candidates.clear();
  MediaDescription bare;
  t.add_to(bare);
  EXPECT_EQ(bare.find("end-of-candidates"), nullptr);
}

}  // namespace
}  // namespace conclave::sdp
