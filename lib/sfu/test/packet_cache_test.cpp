#include "conclave/sfu/packet_cache.h"

#include <gtest/gtest.h>

namespace conclave::sfu {
namespace {

Bytes packet_of(uint16_t seq, size_t size = 100) {
  Bytes b(size, static_cast<uint8_t>(seq));
  b[0] = static_cast<uint8_t>(seq >> 8);
  return b;
}

TEST(PacketCacheTest, FindsWhatWasInserted) {
  PacketCache cache(64);
  for (uint16_t s = 100; s < 150; ++s) ASSERT_TRUE(cache.insert(s, packet_of(s)));
  for (uint16_t s = 100; s < 150; ++s) {
    auto p = cache.find(s);
    ASSERT_TRUE(p) << s;
    EXPECT_EQ(Bytes(p->begin(), p->end()), packet_of(s));
  }
  EXPECT_FALSE(cache.find(99));
  EXPECT_FALSE(cache.find(150));
}

TEST(PacketCacheTest, EvictsOldPacketsAndNeverReturnsAStaleSlot) {
  PacketCache cache(16);
  ASSERT_EQ(cache.capacity(), 16u);
  for (uint16_t s = 0; s < 40; ++s) cache.insert(s, packet_of(s));
  EXPECT_FALSE(cache.find(23));  // evicted: 40 - 16 = 24 is the oldest kept
  EXPECT_TRUE(cache.find(24));
  EXPECT_TRUE(cache.find(39));
  // 8 shares a slot with 24 and 40: it is not returned for 24's bytes.
  EXPECT_FALSE(cache.find(8));
}

TEST(PacketCacheTest, WrapsAroundTheSequenceSpace) {
  PacketCache cache(32);
  for (uint32_t i = 0; i < 20; ++i) {
    uint16_t s = static_cast<uint16_t>(65530 + i);
    cache.insert(s, packet_of(s));
  }
  EXPECT_TRUE(cache.find(65535));
  EXPECT_TRUE(cache.find(0));
  EXPECT_TRUE(cache.find(13));
  EXPECT_EQ((*cache.find(2))[1], 2);
  EXPECT_FALSE(cache.find(14));
}

TEST(PacketCacheTest, LateInsertFillsAGapAndTooOldIsRefused) {
  PacketCache cache(16);
  cache.insert(10, packet_of(10));
  cache.insert(12, packet_of(12));
  EXPECT_FALSE(cache.find(11));
  EXPECT_TRUE(cache.insert(11, packet_of(11)));
  EXPECT_TRUE(cache.find(11));
  cache.insert(100, packet_of(100));
  EXPECT_FALSE(cache.insert(50, packet_of(50)));
  EXPECT_FALSE(cache.find(50));
}

TEST(PacketCacheTest, RefusesOversizedPackets) {
  PacketCache cache(16);
  EXPECT_FALSE(cache.insert(1, Bytes(PacketCache::kMaxPacketSize + 1, 0)));
  EXPECT_TRUE(cache.insert(2, Bytes(PacketCache::kMaxPacketSize, 7)));
  EXPECT_EQ(cache.find(2)->size(), PacketCache::kMaxPacketSize);
}

}  // namespace
}  // namespace conclave::sfu
