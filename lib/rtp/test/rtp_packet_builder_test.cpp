#include "conclave/rtp/rtp_packet_builder.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

Bytes hex(const char* s) { return from_hex(s).value(); }

TEST(RtpPacketBuilder, BuildsTheKnownPacket) {
  RtpPacketBuilder b;
  b.set_marker(true)
      .set_payload_type(96)
      .set_sequence_number(0x1234)
      .set_timestamp(0x56789abc)
      .set_ssrc(0xdeadbeef)
      .set_csrcs({0x11, 0x22})
      .add_extension(1, hex("aa"))
      .add_extension(2, hex("bbcc"))
      .set_payload(hex("0102"))
      .set_padding(3);
  auto out = b.build();
  ASSERT_TRUE(out.ok()) << out.error().to_string();
  EXPECT_EQ(to_hex(*out),
            "b2e01234" "56789abc" "deadbeef" "00000011" "00000022"
            "bede0002" "10aa21bb" "cc000000" "0102" "000003");
}

TEST(RtpPacketBuilder, PicksTheTwoByteFormWhenNeeded) {
  for (auto [id, size] : {std::pair<uint8_t, size_t>{15, 1}, {1, 0}, {1, 17}, {255, 255}}) {
    RtpPacketBuilder b;
    b.add_extension(id, Bytes(size, 0x5a));
    auto out = b.build();
    ASSERT_TRUE(out.ok());
    auto p = RtpPacket::parse(*out);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->extension_form(), ExtensionForm::two_byte);
    ASSERT_TRUE(p->extension(id).has_value());
    EXPECT_EQ(p->extension(id)->size(), size);
  }
  RtpPacketBuilder forced;
  forced.add_extension(1, hex("01")).set_two_byte_extensions(true);
  const Bytes fb = forced.build().value();
  auto p = RtpPacket::parse(fb);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->extension_form(), ExtensionForm::two_byte);
  EXPECT_EQ(to_hex(p->extension_block()), "01010100");
}

TEST(RtpPacketBuilder, ReplacesAndRemovesExtensions) {
  RtpPacketBuilder b;
  b.add_extension(3, hex("01")).add_extension(4, hex("02")).add_extension(3, hex("0303"));
  const Bytes b1 = b.build().value();
  auto p1 = RtpPacket::parse(b1);
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->extensions().size(), 2u);
  EXPECT_EQ(to_hex(*p1->extension(3)), "0303");
  b.remove_extension(3);
  auto bytes = b.build().value();
  auto p2 = RtpPacket::parse(bytes);
  ASSERT_TRUE(p2.ok());
  EXPECT_FALSE(p2->extension(3).has_value());
  b.clear_extensions();
  const Bytes b3 = b.build().value();
  auto p3 = RtpPacket::parse(b3);
  ASSERT_TRUE(p3.ok());
  EXPECT_FALSE(p3->has_extension());
}

TEST(RtpPacketBuilder, RejectsOutOfRangeInput) {
  EXPECT_TRUE(RtpPacketBuilder().set_payload_type(128).build().error().is(Errc::invalid_argument));
  EXPECT_TRUE(RtpPacketBuilder()
                  .set_csrcs(std::vector<uint32_t>(16, 1))
                  .build()
                  .error()
                  .is(Errc::invalid_argument));
  EXPECT_FALSE(RtpPacketBuilder().add_extension(0, hex("01")).build().ok());
  EXPECT_FALSE(RtpPacketBuilder().add_extension(1, Bytes(256, 0)).build().ok());
  EXPECT_FALSE(RtpPacketBuilder().set_raw_extension(0x1234, hex("010203")).build().ok());
}

TEST(RtpPacketBuilder, RoundTripsThroughParse) {
  RtpPacketBuilder b;
  b.set_marker(true)
      .set_payload_type(111)
      .set_sequence_number(65535)
      .set_timestamp(0xffffffff)
      .set_ssrc(42)
      .set_csrcs({1, 2, 3})
      .add_extension(14, Bytes(16, 7))
      .add_extension(5, hex("0102"))
      .set_payload(Bytes(100, 9))
      .set_padding(1);
  const Bytes bytes = b.build().value();
  auto p = RtpPacket::parse(bytes);
  ASSERT_TRUE(p.ok());
  const Bytes again = RtpPacketBuilder::from(*p).build().value();
  EXPECT_EQ(again, bytes);

  // A raw block of another profile survives too.
  RtpPacketBuilder raw;
  raw.set_raw_extension(0xabcd, hex("01020304")).set_payload(hex("ff"));
  const Bytes rb = raw.build().value();
  auto rp = RtpPacket::parse(rb);
  ASSERT_TRUE(rp.ok());
  EXPECT_EQ(RtpPacketBuilder::from(*rp).build().value(), rb);
}

}  // namespace
}  // namespace conclave::rtp
