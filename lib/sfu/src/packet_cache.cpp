#include "conclave/sfu/packet_cache.h"

#include <algorithm>
#include <cstring>

namespace conclave::sfu {
namespace {

size_t round_up_pow2(size_t n) {
  size_t p = 16;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace

PacketCache::PacketCache(size_t capacity)
    : slots_(round_up_pow2(capacity)), storage_(slots_.size() * kMaxPacketSize) {}

int64_t PacketCache::unwrap_near_newest(uint16_t sequence_number) const {
  if (newest_ < 0) return sequence_number;
  int64_t d = static_cast<int64_t>(sequence_number) - static_cast<int64_t>(newest_ & 0xffff);
  if (d >= 0x8000) d -= 0x10000;
  if (d < -0x8000) d += 0x10000;
  return newest_ + d;
}

bool PacketCache::insert(uint16_t sequence_number, BytesView packet) {
  if (packet.size() > kMaxPacketSize) return false;
  int64_t seq = unwrapper_.unwrap(sequence_number);
  if (seq < 0) return false;  // far older than the first packet seen
  newest_ = std::max(newest_, seq);
  if (newest_ - seq >= static_cast<int64_t>(slots_.size())) return false;  // too old
  size_t index = static_cast<size_t>(seq) & (slots_.size() - 1);
  Slot& slot = slots_[index];
  slot.sequence = seq;
  slot.size = static_cast<uint16_t>(packet.size());
  if (!packet.empty()) std::memcpy(&storage_[index * kMaxPacketSize], packet.data(), packet.size());
  return true;
}

std::optional<BytesView> PacketCache::find(uint16_t sequence_number) const {
  if (newest_ < 0) return std::nullopt;
  int64_t seq = unwrap_near_newest(sequence_number);
  if (seq < 0 || seq > newest_) return std::nullopt;
  size_t index = static_cast<size_t>(seq) & (slots_.size() - 1);
  const Slot& slot = slots_[index];
  if (slot.sequence != seq) return std::nullopt;
  return BytesView(&storage_[index * kMaxPacketSize], slot.size);
}

}  // namespace conclave::sfu
