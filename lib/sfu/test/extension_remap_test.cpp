#include "conclave/sfu/extension_remap.h"

#include <gtest/gtest.h>

#include "conclave/rtp/rtp_packet.h"
#include "conclave/rtp/rtp_packet_builder.h"

namespace conclave::sfu {
namespace {

Bytes build(bool two_byte) {
  rtp::RtpPacketBuilder b;
  b.set_ssrc(5).set_sequence_number(9).set_payload(Bytes{1, 2, 3, 4});
  b.add_extension(3, Bytes{0x80});             // audio level
  b.add_extension(4, Bytes{'0'});              // MID
  b.add_extension(5, Bytes{0x12, 0x34});       // transport-cc
  b.add_extension(11, Bytes(two_byte ? 20 : 5, 0xaa));  // DD
  b.set_two_byte_extensions(two_byte);
  return *b.build();
}

void check(bool two_byte) {
  Bytes packet = build(two_byte);
  Bytes original = packet;
  ExtensionRemap remap;
  remap.map(3, 1);
  remap.map(11, 9);
  ASSERT_TRUE(remap.apply(packet));
  ASSERT_EQ(packet.size(), original.size());
  auto parsed = rtp::RtpPacket::parse(packet);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->ssrc(), 5u);
  EXPECT_EQ(Bytes(parsed->payload().begin(), parsed->payload().end()), (Bytes{1, 2, 3, 4}));
  auto exts = parsed->extensions();
  ASSERT_EQ(exts.size(), 2u);
  EXPECT_EQ(exts[0].id, 1);
  EXPECT_EQ(Bytes(exts[0].data.begin(), exts[0].data.end()), Bytes{0x80});
  EXPECT_EQ(exts[1].id, 9);
  EXPECT_EQ(exts[1].data.size(), two_byte ? 20u : 5u);
  EXPECT_FALSE(parsed->extension(4));
  EXPECT_FALSE(parsed->extension(5));
}

TEST(ExtensionRemapTest, RemapsAndBlanksOneByteForm) { check(false); }
TEST(ExtensionRemapTest, RemapsAndBlanksTwoByteForm) { check(true); }

TEST(ExtensionRemapTest, OneByteTargetAboveFourteenIsBlanked) {
  Bytes packet = build(false);
  ExtensionRemap remap;
  remap.map(3, 20);
  ASSERT_TRUE(remap.apply(packet));
  auto parsed = rtp::RtpPacket::parse(packet);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->extensions().empty());
}

TEST(ExtensionRemapTest, MalformedPacketIsAnErrorAndUntouched) {
  Bytes packet = build(false);
  packet.resize(14);  // cuts into the extension block
  Bytes before = packet;
  ExtensionRemap remap;
  remap.map(3, 1);
  EXPECT_FALSE(remap.apply(packet));
  EXPECT_EQ(packet, before);
}

TEST(ExtensionRemapTest, PacketWithoutExtensionsIsUnchanged) {
  Bytes packet = *rtp::RtpPacketBuilder().set_ssrc(1).set_payload(Bytes{9}).build();
  Bytes before = packet;
  ExtensionRemap remap;
  ASSERT_TRUE(remap.apply(packet));
  EXPECT_EQ(packet, before);
}

}  // namespace
}  // namespace conclave::sfu
