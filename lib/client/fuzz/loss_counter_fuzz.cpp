// libFuzzer target for LossCounter: the RTP sequence numbers of a track
// come from whoever can reach the SFU, in any order.
//
// Input: big-endian 16-bit sequence numbers, in arrival order.
// Oracles beyond the sanitizers: every packet is counted exactly once, as
// received, duplicate or stale; the distinct packets received never exceed
// the expected range; lost() is expected() - received().
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "conclave/client/loss_counter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  conclave::client::LossCounter c;
  uint64_t packets = 0;
  for (size_t i = 0; i + 2 <= size; i += 2) {
    c.add(static_cast<uint16_t>((data[i] << 8) | data[i + 1]));
    ++packets;
    if (c.received() + c.duplicates() + c.stale() != packets) std::abort();
    if (c.received() > c.expected()) std::abort();
    if (c.lost() != c.expected() - c.received()) std::abort();
  }
  return 0;
}
