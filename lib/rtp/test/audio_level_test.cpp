#include "conclave/rtp/audio_level.h"

#include <gtest/gtest.h>

namespace conclave::rtp {
namespace {

TEST(AudioLevel, KnownBytes) {
  auto a = AudioLevel::parse(Bytes{0x85});
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->voice_activity);
  EXPECT_EQ(a->level, 5);
  auto b = AudioLevel::parse(Bytes{0x7f});
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(b->voice_activity);
  EXPECT_EQ(b->level, 127);
  EXPECT_EQ((AudioLevel{true, 5}.serialize().value()), Bytes{0x85});
}

TEST(AudioLevel, RoundTripsEveryValue) {
  for (int v = 0; v < 2; ++v) {
    for (uint8_t level = 0; level < 128; ++level) {
      const AudioLevel a{v == 1, level};
      auto bytes = a.serialize();
      ASSERT_TRUE(bytes.ok());
      EXPECT_EQ(AudioLevel::parse(*bytes).value(), a);
    }
  }
}

TEST(AudioLevel, RejectsBadInput) {
  EXPECT_TRUE(AudioLevel::parse(Bytes{}).error().is(Errc::invalid_length));
  EXPECT_TRUE(AudioLevel::parse(Bytes{1, 2}).error().is(Errc::invalid_length));
  EXPECT_TRUE((AudioLevel{false, 128}.serialize().error().is(Errc::invalid_argument)));
}

}  // namespace
}  // namespace conclave::rtp
