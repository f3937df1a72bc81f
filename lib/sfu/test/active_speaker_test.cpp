#include "conclave/sfu/active_speaker.h"

#include <gtest/gtest.h>

namespace conclave::sfu {
namespace {

void feed(ActiveSpeakerDetector& d, uint32_t ssrc, uint8_t level, int packets = 15) {
  for (int i = 0; i < packets; ++i) d.on_level(ssrc, level);
}

TEST(ActiveSpeakerTest, PicksTheLoudestAboveTheFloor) {
  ActiveSpeakerDetector d;
  feed(d, 1, 127);
  feed(d, 2, 127);
  EXPECT_FALSE(d.tick());  // silence: nobody
  EXPECT_EQ(d.dominant(), 0u);
  for (int i = 0; i < 4; ++i) {
    feed(d, 1, 30);
    feed(d, 2, 90);
    d.tick();
  }
  EXPECT_EQ(d.dominant(), 1u);
}

TEST(ActiveSpeakerTest, SwitchesOnlyWithAMarginAndDropsToNobody) {
  ActiveSpeakerDetector d;
  for (int i = 0; i < 5; ++i) {
    feed(d, 1, 30);
    feed(d, 2, 127);
    d.tick();
  }
  ASSERT_EQ(d.dominant(), 1u);
  // Speaker 2 only slightly louder: no switch.
  for (int i = 0; i < 5; ++i) {
    feed(d, 1, 30);
    feed(d, 2, 28);
    EXPECT_FALSE(d.tick());
  }
  // Speaker 1 falls silent, speaker 2 keeps talking: switch to 2.
  std::optional<uint32_t> changed;
  for (int i = 0; i < 5 && !changed; ++i) {
    feed(d, 1, 127);
    feed(d, 2, 28);
    changed = d.tick();
  }
  ASSERT_TRUE(changed);
  EXPECT_EQ(*changed, 2u);
  // Everyone silent: nobody.
  changed.reset();
  for (int i = 0; i < 10 && !changed; ++i) {
    feed(d, 1, 127);
    feed(d, 2, 127);
    changed = d.tick();
  }
  ASSERT_TRUE(changed);
  EXPECT_EQ(*changed, 0u);
}

TEST(ActiveSpeakerTest, RemovedStreamStopsBeingDominant) {
  ActiveSpeakerDetector d;
  for (int i = 0; i < 3; ++i) {
    feed(d, 7, 20);
    d.tick();
  }
  ASSERT_EQ(d.dominant(), 7u);
  d.remove(7);
  EXPECT_EQ(d.dominant(), 0u);
  EXPECT_EQ(d.score(7), 0.0);
}

}  // namespace
}  // namespace conclave::sfu
