#include "conclave/rtp/vp8_packetizer.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::rtp {
namespace {

Bytes frame_of(size_t n) {
  Bytes f(n);
  for (size_t i = 0; i < n; ++i) f[i] = static_cast<uint8_t>(i * 7 + 1);
  return f;
}

TEST(Vp8Packetizer, KnownSinglePacket) {
  Vp8Packetizer p(1200, 0x1234);
  auto packets = p.packetize(Bytes{0x50, 0x01, 0x02});
  ASSERT_TRUE(packets.ok());
  ASSERT_EQ(packets->size(), 1u);
  // X S PID=0 = 90, I = 80, M|0x12 = 92, 34, then the frame.
  EXPECT_EQ(to_hex((*packets)[0].payload), "90809234" "500102");
  EXPECT_TRUE((*packets)[0].marker);
  EXPECT_EQ(p.next_picture_id(), 0x1235);
}

TEST(Vp8Packetizer, SplitsUnderTheMtuAndMarksTheLast) {
  const Bytes frame = frame_of(3000);
  Vp8Packetizer p(1000);
  auto packets = p.packetize(frame);
  ASSERT_TRUE(packets.ok());
  ASSERT_EQ(packets->size(), 4u);  // 996 bytes of room each
  Bytes rebuilt;
  for (size_t i = 0; i < packets->size(); ++i) {
    const auto& pk = (*packets)[i];
    EXPECT_LE(pk.payload.size(), 1000u);
    auto d = Vp8PayloadDescriptor::parse(pk.payload);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->first.start_of_partition, i == 0);
    EXPECT_EQ(d->first.partition_index, 0);
    EXPECT_EQ(d->first.picture_id, 0);
    EXPECT_EQ(pk.marker, i + 1 == packets->size());
    rebuilt.insert(rebuilt.end(), pk.payload.begin() + static_cast<std::ptrdiff_t>(d->second),
                   pk.payload.end());
  }
  EXPECT_EQ(rebuilt, frame);
}

TEST(Vp8Packetizer, PictureIdWrapsAt15Bits) {
  Vp8Packetizer p(100, 0x7fff);
  ASSERT_TRUE(p.packetize(Bytes{1}).ok());
  EXPECT_EQ(p.next_picture_id(), 0);
  Vp8Packetizer none(100, std::nullopt);
  auto packets = none.packetize(Bytes{1, 2});
  ASSERT_TRUE(packets.ok());
  EXPECT_EQ(to_hex((*packets)[0].payload), "100102");  // one-octet descriptor
  EXPECT_FALSE(none.next_picture_id().has_value());
}

TEST(Vp8Packetizer, RejectsImpossibleInput) {
  Vp8Packetizer p(4);  // the descriptor alone takes 4 bytes
  EXPECT_TRUE(p.packetize(Bytes{1}).error().is(Errc::invalid_argument));
  Vp8Packetizer q(100);
  EXPECT_TRUE(q.packetize({}).error().is(Errc::invalid_argument));
  EXPECT_EQ(q.next_picture_id(), 0);  // a failed frame does not use an id
}

}  // namespace
}  // namespace conclave::rtp
