// LossCounter: packet loss of one RTP stream (one SSRC) from its sequence
// numbers, as RFC 3550 section 6.4.1 counts it: expected = highest - first
// + 1 over the unwrapped sequence numbers seen, received = the distinct
// ones among them. A duplicate (a retransmission of a packet that had
// arrived, or a copy on the network) is counted apart and never twice.
//
// Counted where the packet arrives, before the jitter buffer: with NACKs
// off (the count-only receive of load runs) every packet counted is a first
// transmission, so lost() is the loss before any retransmission. Packets
// further behind the highest than kWindow cannot be checked for duplicates
// and are counted as stale instead of received. Pure, O(1) per packet,
// fixed memory; a hostile sequence jump moves the window, nothing more.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>

#include "conclave/rtp/sequence_number.h"

namespace conclave::client {

class LossCounter {
 public:
  static constexpr int64_t kWindow = 4096;

  // One packet's sequence number, in arrival order.
  void add(uint16_t sequence_number);

  // Distinct sequence numbers received (duplicates and stale not included).
  uint64_t received() const { return received_; }
  // highest - first + 1 over what was received; 0 before the first packet.
  uint64_t expected() const;
  // expected - received (never negative).
  uint64_t lost() const;
  uint64_t duplicates() const { return duplicates_; }
  uint64_t stale() const { return stale_; }

 private:
  size_t index(int64_t extended) const {
    return static_cast<size_t>(((extended % kWindow) + kWindow) % kWindow);
  }

  rtp::Unwrapper<uint16_t> unwrapper_;
  std::optional<int64_t> first_;
  int64_t highest_ = 0;
  std::bitset<kWindow> seen_;  // of (highest - kWindow, highest]
  uint64_t received_ = 0;
  uint64_t duplicates_ = 0;
  uint64_t stale_ = 0;
};

}  // namespace conclave::client
