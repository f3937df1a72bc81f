#include "conclave/rtp/transport_sequence_number.h"

#include <gtest/gtest.h>

namespace conclave::rtp {
namespace {

TEST(TransportSequenceNumber, KnownBytesAndRoundTrip) {
  EXPECT_EQ(TransportSequenceNumber::serialize(0x1234), (Bytes{0x12, 0x34}));
  EXPECT_EQ(TransportSequenceNumber::parse(Bytes{0xff, 0xfe}).value(), 0xfffe);
  for (uint32_t s : {0u, 1u, 0x7fffu, 0x8000u, 0xffffu}) {
    const auto seq = static_cast<uint16_t>(s);
    EXPECT_EQ(TransportSequenceNumber::parse(TransportSequenceNumber::serialize(seq)).value(), seq);
  }
}

TEST(TransportSequenceNumber, RejectsOtherSizes) {
  EXPECT_TRUE(TransportSequenceNumber::parse(Bytes{1}).error().is(Errc::invalid_length));
  EXPECT_TRUE(TransportSequenceNumber::parse(Bytes{1, 2, 3}).error().is(Errc::invalid_length));
}

}  // namespace
}  // namespace conclave::rtp
