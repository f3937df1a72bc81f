#include "conclave/rtp/rtp_packet.h"

#include <gtest/gtest.h>

#include <vector>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

Bytes hex(const char* s) { return from_hex(s).value(); }

// V=2 PT=96 seq=1 ts=2 SSRC=3, payload "abc".
const char* kPlain = "80600001" "00000002" "00000003" "616263";
// V=2 X M PT=96 seq=0x1234 ts=0x56789abc SSRC=0xdeadbeef, CC=2, one-byte
// extensions: id 1 = aa, id 2 = bbcc (5 bytes, padded to 2 words);
// payload 0102; padding of 3 bytes.
const char* kFull =
    "b2e01234" "56789abc" "deadbeef" "00000011" "00000022"
    "bede0002" "10aa21bb" "cc000000"
    "0102" "000003";

TEST(RtpPacket, ParsesTheFixedHeader) {
  const Bytes b = hex(kPlain);
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_FALSE(p->marker());
  EXPECT_FALSE(p->has_padding());
  EXPECT_FALSE(p->has_extension());
  EXPECT_EQ(p->payload_type(), 96);
  EXPECT_EQ(p->sequence_number(), 1);
  EXPECT_EQ(p->timestamp(), 2u);
  EXPECT_EQ(p->ssrc(), 3u);
  EXPECT_EQ(p->csrc_count(), 0u);
  EXPECT_EQ(p->header_size(), 12u);
  EXPECT_EQ(Bytes(p->payload().begin(), p->payload().end()), hex("616263"));
  EXPECT_EQ(p->padding_size(), 0u);
  EXPECT_EQ(p->extension_form(), ExtensionForm::none);
  EXPECT_FALSE(p->extension(1).has_value());
}

TEST(RtpPacket, ParsesCsrcsExtensionsAndPadding) {
  const Bytes b = hex(kFull);
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_TRUE(p->marker());
  EXPECT_EQ(p->payload_type(), 96);
  EXPECT_EQ(p->sequence_number(), 0x1234);
  EXPECT_EQ(p->timestamp(), 0x56789abcu);
  EXPECT_EQ(p->ssrc(), 0xdeadbeefu);
  EXPECT_EQ(p->csrcs(), (std::vector<uint32_t>{0x11, 0x22}));
  EXPECT_EQ(p->extension_form(), ExtensionForm::one_byte);
  EXPECT_EQ(p->extension_profile(), 0xbede);
  ASSERT_TRUE(p->extension(1).has_value());
  EXPECT_EQ(Bytes(p->extension(1)->begin(), p->extension(1)->end()), hex("aa"));
  ASSERT_TRUE(p->extension(2).has_value());
  EXPECT_EQ(Bytes(p->extension(2)->begin(), p->extension(2)->end()), hex("bbcc"));
  EXPECT_FALSE(p->extension(3).has_value());
  EXPECT_EQ(p->extensions().size(), 2u);
  EXPECT_EQ(p->header_size(), 12u + 8 + 4 + 8);
  EXPECT_EQ(Bytes(p->payload().begin(), p->payload().end()), hex("0102"));
  EXPECT_EQ(p->padding_size(), 3u);
}

TEST(RtpPacket, ParsesTwoByteExtensionsWithEmptyValues) {
  // Profile 0x1005 (app bits 5): id 1 len 0; padding byte; id 200 len 3.
  const Bytes b = hex("90600001" "00000002" "00000003" "10050002" "0100" "00" "c803aabbcc" "ff");
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->extension_form(), ExtensionForm::two_byte);
  ASSERT_TRUE(p->extension(1).has_value());
  EXPECT_TRUE(p->extension(1)->empty());
  ASSERT_TRUE(p->extension(200).has_value());
  EXPECT_EQ(Bytes(p->extension(200)->begin(), p->extension(200)->end()), hex("aabbcc"));
  EXPECT_EQ(p->payload().size(), 1u);
}

TEST(RtpPacket, OneByteId15StopsProcessing) {
  // id 1 (1 byte), then id 15 whose "length" would run past the block.
  const Bytes b = hex("90600001" "00000002" "00000003" "bede0001" "1011" "ff" "00");
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->extensions().size(), 1u);
  EXPECT_TRUE(p->extension(1).has_value());
}

// fuzz_rtp_packet regression: a one-byte element byte 0x01 (ID 0, L=1)
// was reported as an extension with the reserved ID 0.
TEST(RtpPacket, OneByteId0IsPaddingWhateverItsLength) {
  const Bytes b = hex("90600001" "00000002" "00000003" "bede0002" "1002" "01" "0300fa" "ff00");
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  for (const auto& e : p->extensions()) EXPECT_NE(e.id, 0);
  EXPECT_FALSE(p->extension(0).has_value());
  ASSERT_TRUE(p->extension(1).has_value());
  EXPECT_EQ(Bytes(p->extension(1)->begin(), p->extension(1)->end()), hex("02"));
}

TEST(RtpPacket, OtherProfileIsRaw) {
  const Bytes b = hex("90600001" "00000002" "00000003" "abcd0001" "01020304");
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->extension_form(), ExtensionForm::other);
  EXPECT_EQ(p->extension_block().size(), 4u);
  EXPECT_TRUE(p->extensions().empty());
  EXPECT_FALSE(p->extension(1).has_value());
  EXPECT_TRUE(p->payload().empty());
}

TEST(RtpPacket, RejectsBadVersion) {
  Bytes b = hex(kPlain);
  b[0] = 0x40;
  auto p = RtpPacket::parse(b);
  ASSERT_FALSE(p.ok());
  EXPECT_TRUE(p.error().is(Errc::invalid_version));
}

TEST(RtpPacket, TruncationAtEveryByteFails) {
  // Without padding, every prefix shorter than the header is an error; the
  // full packet with padding fails at every shorter length too (the
  // padding count moves onto a payload byte or the length fields run out).
  const Bytes full = hex(kFull);
  auto ok = RtpPacket::parse(full);
  ASSERT_TRUE(ok.ok());
  for (size_t n = 0; n < ok->header_size(); ++n) {
    EXPECT_FALSE(RtpPacket::parse(BytesView(full).first(n)).ok()) << n;
  }
}

TEST(RtpPacket, HostileLengths) {
  // Extension length of 0xffff words in a short packet.
  auto a = RtpPacket::parse(hex("90600001" "00000002" "00000003" "bedeffff" "10aa0000"));
  ASSERT_FALSE(a.ok());
  EXPECT_TRUE(a.error().is(Errc::truncated));
  // CC=15 with no CSRCs.
  auto b = RtpPacket::parse(hex("8f600001" "00000002" "00000003"));
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(b.error().is(Errc::truncated));
  // Element length past the block end.
  auto c = RtpPacket::parse(hex("90600001" "00000002" "00000003" "bede0001" "1f000000"));
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(c.error().is(Errc::invalid_extension));
  // Two-byte element header cut by the block end.
  auto d = RtpPacket::parse(hex("90600001" "00000002" "00000003" "10000001" "000000c8"));
  ASSERT_FALSE(d.ok());
  EXPECT_TRUE(d.error().is(Errc::invalid_extension));
  // Padding count larger than what follows the header, and zero.
  auto e = RtpPacket::parse(hex("a0600001" "00000002" "00000003" "0005"));
  ASSERT_FALSE(e.ok());
  EXPECT_TRUE(e.error().is(Errc::invalid_padding));
  auto f = RtpPacket::parse(hex("a0600001" "00000002" "00000003" "0100"));
  ASSERT_FALSE(f.ok());
  EXPECT_TRUE(f.error().is(Errc::invalid_padding));
  auto g = RtpPacket::parse(hex("a0600001" "00000002" "00000003"));
  ASSERT_FALSE(g.ok());
  EXPECT_TRUE(g.error().is(Errc::invalid_padding));
  // Padding that is the whole payload is fine.
  auto h = RtpPacket::parse(hex("a0600001" "00000002" "00000003" "000002"));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->payload().size(), 1u);
}

TEST(RtpPacket, RewritesHeaderFieldsInPlace) {
  Bytes b = hex(kFull);
  ASSERT_TRUE(RtpPacket::set_sequence_number(b, 0xfffe).ok());
  ASSERT_TRUE(RtpPacket::set_timestamp(b, 0x01020304).ok());
  ASSERT_TRUE(RtpPacket::set_ssrc(b, 0xcafef00d).ok());
  ASSERT_TRUE(RtpPacket::set_payload_type(b, 111).ok());
  ASSERT_TRUE(RtpPacket::set_marker(b, false).ok());
  EXPECT_FALSE(RtpPacket::set_payload_type(b, 128).ok());
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->sequence_number(), 0xfffe);
  EXPECT_EQ(p->timestamp(), 0x01020304u);
  EXPECT_EQ(p->ssrc(), 0xcafef00du);
  EXPECT_EQ(p->payload_type(), 111);
  EXPECT_FALSE(p->marker());
  // Everything else is untouched.
  EXPECT_EQ(p->csrcs(), (std::vector<uint32_t>{0x11, 0x22}));
  EXPECT_EQ(Bytes(p->payload().begin(), p->payload().end()), hex("0102"));

  Bytes short_packet(11, 0x80);
  EXPECT_TRUE(RtpPacket::set_ssrc(short_packet, 1).error().is(Errc::truncated));
  Bytes v1 = hex(kPlain);
  v1[0] = 0x40;
  EXPECT_TRUE(RtpPacket::set_ssrc(v1, 1).error().is(Errc::invalid_version));
}

TEST(RtpPacket, RewritesAnExtensionValueOfTheSameSize) {
  Bytes b = hex(kFull);
  ASSERT_TRUE(RtpPacket::rewrite_extension(b, 2, hex("1122")).ok());
  auto p = RtpPacket::parse(b);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Bytes(p->extension(2)->begin(), p->extension(2)->end()), hex("1122"));
  EXPECT_EQ(Bytes(p->extension(1)->begin(), p->extension(1)->end()), hex("aa"));
  EXPECT_TRUE(RtpPacket::rewrite_extension(b, 2, hex("11")).error().is(Errc::invalid_argument));
  EXPECT_TRUE(RtpPacket::rewrite_extension(b, 9, hex("11")).error().is(Errc::invalid_argument));
}

}  // namespace
}  // namespace conclave::rtp
