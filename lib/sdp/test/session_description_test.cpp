#include "conclave/sdp/session_description.h"

#include <gtest/gtest.h>

#include <string>

#include "conclave/sdp/rtpmap.h"
#include "conclave/sdp/ssrc_group.h"
#include "test_util.h"

namespace conclave::sdp {
namespace {

using test::load_sdp;
using test::remove_lines;
using test::replace_all;

constexpr std::string_view kMinimal =
    "v=0\r\n"
    "o=- 1 2 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n";

// kMinimal followed by one audio section.
std::string with_media(std::string_view media_lines) {
  return std::string(kMinimal) + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" + std::string(media_lines);
}

Error parse_error(std::string_view text) {
  auto d = SessionDescription::parse(text);
  EXPECT_FALSE(d.ok()) << text;
  return d.ok() ? Error(Errc::invalid_line, "parsed") : d.error();
}

TEST(SessionDescription, ParsesMinimal) {
  auto d = SessionDescription::parse(kMinimal);
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_EQ(d->origin.session_id, 1u);
  EXPECT_EQ(d->origin.session_version, 2u);
  EXPECT_EQ(d->session_name, "-");
  ASSERT_EQ(d->timings.size(), 1u);
  EXPECT_TRUE(d->media.empty());
  EXPECT_EQ(d->serialize(), kMinimal);
}

TEST(SessionDescription, ParsesTheChromiumOffer) {
  const std::string text = load_sdp("chromium_offer.sdp");
  ASSERT_FALSE(text.empty());
  auto d = SessionDescription::parse(text);
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_EQ(d->origin.session_id, 2890844526723400121u);
  ASSERT_EQ(d->media.size(), 3u);
  EXPECT_EQ(d->media[0].kind(), MediaKind::audio);
  EXPECT_EQ(d->media[0].port, 53421);
  EXPECT_EQ(d->media[0].connection->address, "192.168.1.20");
  EXPECT_EQ(d->media[1].formats.size(), 25u);
  EXPECT_EQ(d->media[2].kind(), MediaKind::application);
  EXPECT_EQ(d->media[1].mid(), "1");
  EXPECT_EQ(d->media[1].direction(), Direction::sendonly);
  EXPECT_EQ(d->find_media("2"), &d->media[2]);
  EXPECT_EQ(d->find_media("3"), nullptr);
  auto bundle = d->bundle_group();
  ASSERT_TRUE(bundle.ok());
  ASSERT_TRUE(bundle->has_value());
  EXPECT_EQ((*bundle)->mids, (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(d->find("msid-semantic")->value, " WMS 8d2b7f3e-5a41-4c4b-9d0e-3b1f6a7c2e90");
  auto groups = d->media[1].all<SsrcGroup>();
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ((*groups)[0].ssrcs[1], 632943048u);
  auto maps = d->media[1].all<Rtpmap>();
  ASSERT_TRUE(maps.ok());
  EXPECT_EQ(maps->size(), 25u);

  // The serialization is the input, byte for byte (the file is canonical).
  EXPECT_EQ(d->serialize(), text);
}

TEST(SessionDescription, RoundTripsAndAcceptsBareLf) {
  for (const char* name : {"chromium_offer.sdp", "werift_offer.sdp"}) {
    const std::string crlf = load_sdp(name);
    ASSERT_FALSE(crlf.empty()) << name;
    auto a = SessionDescription::parse(crlf);
    ASSERT_TRUE(a.ok()) << name << ": " << a.error().to_string();
    auto b = SessionDescription::parse(a->serialize());
    ASSERT_TRUE(b.ok()) << name;
    EXPECT_EQ(*a, *b) << name;
    auto lf = SessionDescription::parse(replace_all(crlf, "\r\n", "\n"));
    ASSERT_TRUE(lf.ok()) << name;
    EXPECT_EQ(*lf, *a) << name;
  }
}

TEST(SessionDescription, KeepsLinesItDoesNotInterpret) {
  const std::string text =
      "v=0\r\n"
      "o=alice 1 1 IN IP6 ::1\r\n"
      "s=\r\n"
      "i=a session\r\n"
      "u=http://example.com\r\n"
      "e=a@example.com\r\n"
      "p=+1 555\r\n"
      "c=IN IP4 224.2.17.12/127\r\n"
      "b=CT:128\r\n"
      "t=2873397496 2873404696\r\n"
      "r=604800 3600 0 90000\r\n"
      "z=2882844526 -1h\r\n"
      "k=clear:x\r\n"
      "a=recvonly\r\n"
      "a=x-thing: spaced value \r\n"
      "m=audio 49170 RTP/AVP 0\r\n"
      "i=voice\r\n"
      "c=IN IP4 224.2.17.12/127\r\n"
      "b=AS:64\r\n"
      "b=TIAS:64000\r\n"
      "k=prompt\r\n"
      "a=rtpmap:0 PCMU/8000\r\n"
      "m=video 51372 RTP/AVP 99\r\n"
      "a=rtpmap:99 h263-1998/90000\r\n";
  auto d = SessionDescription::parse(text);
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_EQ(d->origin.username, "alice");
  EXPECT_EQ(d->session_name, "");
  EXPECT_EQ(d->information, "a session");
  EXPECT_EQ(d->connection->address, "224.2.17.12/127");
  ASSERT_EQ(d->bandwidths.size(), 1u);
  EXPECT_EQ(d->timings[0].start, 2873397496u);
  EXPECT_EQ(d->find("x-thing")->value, " spaced value ");
  ASSERT_EQ(d->media.size(), 2u);
  EXPECT_EQ(d->media[0].information, "voice");
  EXPECT_EQ(d->media[0].bandwidths.size(), 2u);
  EXPECT_FALSE(d->media[0].mid());
  auto again = SessionDescription::parse(d->serialize());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *d);
  // u=, e=, p=, r=, z=, k= are dropped.
  EXPECT_EQ(d->serialize().find("u="), std::string::npos);
  EXPECT_EQ(d->serialize().find("k="), std::string::npos);
}

TEST(SessionDescription, BuiltDescriptionsSerializeWithCrlf) {
  SessionDescription d;
  d.origin.session_id = 7;
  d.add("group", "BUNDLE a");
  MediaDescription m;
  m.formats = {"111"};
  m.connection = Connection{};
  m.add("mid", "a");
  m.add("rtcp-mux");
  d.media.push_back(m);
  const std::string text = d.serialize();
  EXPECT_EQ(text,
            "v=0\r\no=- 7 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE a\r\n"
            "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:a\r\na=rtcp-mux\r\n");
  auto back = SessionDescription::parse(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, d);
}

TEST(SessionDescription, RefusesBadStructure) {
  EXPECT_TRUE(parse_error("").is(Errc::missing_line));
  EXPECT_TRUE(parse_error("o=- 1 1 IN IP4 a\r\nv=0\r\ns=-\r\nt=0 0\r\n").is(Errc::missing_line));
  EXPECT_TRUE(parse_error("v=0\r\ns=-\r\no=- 1 1 IN IP4 a\r\nt=0 0\r\n").is(Errc::missing_line));
  EXPECT_TRUE(parse_error("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\n").is(Errc::missing_line));
  EXPECT_TRUE(parse_error("v=1\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\n").is(Errc::invalid_version));
  EXPECT_TRUE(parse_error(std::string(kMinimal) + "v=0\r\n").is(Errc::misplaced_line));
  EXPECT_TRUE(SessionDescription::parse(std::string(kMinimal) + "r=1 2 3\r\n").ok());
  EXPECT_TRUE(parse_error(std::string(kMinimal) + "a=x\r\nr=1 2 3\r\n").is(Errc::misplaced_line));
  EXPECT_TRUE(parse_error(with_media("t=0 0\r\n")).is(Errc::misplaced_line));
  EXPECT_TRUE(parse_error(with_media("s=x\r\n")).is(Errc::misplaced_line));
  EXPECT_TRUE(parse_error(std::string(kMinimal) + "x=1\r\n").is(Errc::unknown_line_type));
  EXPECT_TRUE(parse_error(std::string(kMinimal) + "A=1\r\n").is(Errc::invalid_line));
  EXPECT_TRUE(parse_error(std::string(kMinimal) + "a\r\n").is(Errc::invalid_line));
  EXPECT_TRUE(parse_error(std::string(kMinimal) + "\r\n").is(Errc::invalid_line));
  EXPECT_TRUE(parse_error(std::string(kMinimal) + "a=x\ry\r\n").is(Errc::invalid_line));
  EXPECT_TRUE(
      parse_error(std::string(kMinimal) + std::string("a=x\0y\r\n", 7)).is(Errc::invalid_line));
  EXPECT_TRUE(parse_error(std::string(kMinimal) + "i=a\r\ni=b\r\n").is(Errc::duplicate_line));
  EXPECT_TRUE(parse_error(with_media("c=IN IP4 a\r\nc=IN IP4 b\r\n")).is(Errc::duplicate_line));
}

TEST(SessionDescription, RefusesMalformedLines) {
  EXPECT_TRUE(parse_error("v=0\r\no=- x 1 IN IP4 a\r\ns=-\r\nt=0 0\r\n").is(Errc::invalid_origin));
  EXPECT_TRUE(parse_error(std::string(kMinimal) + "c=IN\r\n").is(Errc::invalid_connection));
  EXPECT_TRUE(parse_error(std::string(kMinimal) + "b=AS\r\n").is(Errc::invalid_bandwidth));
  EXPECT_TRUE(parse_error("v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0\r\n").is(Errc::invalid_timing));
  EXPECT_TRUE(parse_error(std::string(kMinimal) + "m=audio 70000 RTP/AVP 0\r\n")
                  .is(Errc::invalid_media_line));
  EXPECT_TRUE(parse_error(std::string(kMinimal) + "m=audio 9 RTP/AVP 300\r\n")
                  .is(Errc::invalid_media_line));
  EXPECT_TRUE(parse_error(with_media("a=\r\n")).is(Errc::invalid_attribute));
  EXPECT_TRUE(parse_error(with_media("a=x:\r\n")).is(Errc::invalid_attribute));
  EXPECT_TRUE(parse_error(with_media("a=x y:1\r\n")).is(Errc::invalid_attribute));
  EXPECT_TRUE(parse_error(with_media("a=rtcp-mux:1\r\n")).is(Errc::invalid_attribute));
  EXPECT_TRUE(parse_error(with_media("a=rtpmap:111 opus\r\n")).is(Errc::invalid_rtpmap));
  EXPECT_TRUE(parse_error(with_media("a=extmap:0 urn:x\r\n")).is(Errc::invalid_extmap));
  EXPECT_TRUE(parse_error(with_media("a=extmap:256 urn:x\r\n")).is(Errc::invalid_extmap));
  EXPECT_TRUE(parse_error(with_media("a=ssrc:99999999999 cname:x\r\n")).is(Errc::invalid_ssrc));
  EXPECT_TRUE(
      parse_error(with_media("a=candidate:1 1 udp 1 a 9 typ\r\n")).is(Errc::invalid_candidate));
  EXPECT_TRUE(
      parse_error(with_media("a=fingerprint:sha-256 AB\r\n")).is(Errc::invalid_fingerprint));
  EXPECT_TRUE(parse_error(with_media("a=setup:both\r\n")).is(Errc::invalid_setup));
  EXPECT_TRUE(parse_error(with_media("a=mid:a b\r\n")).is(Errc::invalid_mid));
  EXPECT_TRUE(
      parse_error(std::string(kMinimal) + "a=group:BUNDLE 0 0\r\n").is(Errc::invalid_group));
}

TEST(SessionDescription, RefusesRepeatedSingleAttributesAndMids) {
  EXPECT_TRUE(parse_error(with_media("a=mid:0\r\na=mid:1\r\n")).is(Errc::duplicate_attribute));
  EXPECT_TRUE(
      parse_error(with_media("a=sendonly\r\na=recvonly\r\n")).is(Errc::duplicate_attribute));
  EXPECT_TRUE(parse_error(with_media("a=setup:active\r\na=setup:active\r\n"))
                  .is(Errc::duplicate_attribute));
  EXPECT_TRUE(parse_error(with_media("a=ice-ufrag:abcd\r\na=ice-ufrag:abcd\r\n"))
                  .is(Errc::duplicate_attribute));
  EXPECT_TRUE(parse_error(std::string(kMinimal) + "a=ice-lite\r\na=ice-lite\r\n")
                  .is(Errc::duplicate_attribute));
  EXPECT_TRUE(parse_error(with_media("a=mid:0\r\nm=video 9 RTP/AVP 96\r\na=mid:0\r\n"))
                  .is(Errc::duplicate_mid));
}

TEST(SessionDescription, EnforcesLimits) {
  // Size.
  std::string big = std::string(kMinimal);
  while (big.size() <= SessionDescription::kMaxSize)
    big += "a=x-pad:" + std::string(1000, 'p') + "\r\n";
  EXPECT_TRUE(parse_error(big).is(Errc::too_large));
  // Line length.
  EXPECT_TRUE(parse_error(std::string(kMinimal) +
                          "a=x:" + std::string(SessionDescription::kMaxLineLength, 'x') + "\r\n")
                  .is(Errc::line_too_long));
  EXPECT_TRUE(SessionDescription::parse(
                  std::string(kMinimal) +
                  "a=x:" + std::string(SessionDescription::kMaxLineLength - 4, 'x') + "\r\n")
                  .ok());
  // m= sections.
  std::string media = std::string(kMinimal);
  for (size_t i = 0; i <= SessionDescription::kMaxMedia; ++i) media += "m=audio 9 RTP/AVP 0\r\n";
  EXPECT_TRUE(parse_error(media).is(Errc::too_many_media));
  // Attributes per section.
  std::string attrs = with_media("");
  for (size_t i = 0; i <= SessionDescription::kMaxAttributes; ++i) attrs += "a=rtcp-mux\r\n";
  EXPECT_TRUE(parse_error(attrs).is(Errc::too_many_attributes));
  // b= and t= lines.
  std::string bw = std::string(kMinimal);
  for (size_t i = 0; i <= SessionDescription::kMaxLines; ++i) bw += "b=AS:1\r\n";
  EXPECT_TRUE(parse_error(bw).is(Errc::too_many_values));
  std::string times = std::string(kMinimal);
  for (size_t i = 0; i < SessionDescription::kMaxLines; ++i) times += "t=0 0\r\n";
  EXPECT_TRUE(parse_error(times).is(Errc::too_many_values));
}

TEST(SessionDescription, MalformedRealOffersFailCleanly) {
  const std::string text = load_sdp("chromium_offer.sdp");
  ASSERT_FALSE(text.empty());
  // Every prefix cut at a line end parses or fails with an error, never
  // crashes; cutting inside the header is always an error.
  for (size_t cut = 0; cut < text.size(); cut += 97) {
    auto d = SessionDescription::parse(text.substr(0, cut));
    if (cut < 40) {
      EXPECT_FALSE(d.ok()) << cut;
    }
  }
  EXPECT_TRUE(
      parse_error(replace_all(text, "a=extmap:9 ", "a=extmap:0 ")).is(Errc::invalid_extmap));
  EXPECT_TRUE(parse_error(replace_all(text, "a=mid:2", "a=mid:1")).is(Errc::duplicate_mid));
  EXPECT_TRUE(parse_error(replace_all(text, "typ host", "typ")).is(Errc::invalid_candidate));
  EXPECT_TRUE(parse_error(replace_all(text, "2231627014 632943048", "2231627014 x"))
                  .is(Errc::invalid_ssrc_group));
  EXPECT_TRUE(parse_error(remove_lines(text, "v=")).is(Errc::missing_line));
}

}  // namespace
}  // namespace conclave::sdp
