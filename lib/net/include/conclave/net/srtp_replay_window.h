// SrtpReplayWindow: the replay list of one SRTP or SRTCP stream (RFC 3711
// section 3.3.2), and the packet index estimate of section 3.3.1 that
// recovers the rollover counter from a 16-bit sequence number.
//
// The window remembers the highest index accepted so far and which of the
// kSize indices at and below it were seen:
//
//            too old         |<---------- 1024 --------->|   fresh
//   ... ---------------------+---+---+-- ... --+---+---+-+--------->
//                       top-1023             top-1  top        index
//
// A new window starts as libsrtp's does: highest() is 0 and nothing is
// marked, so index 0 is still fresh. check() only looks; add() records an
// index and is called only once a packet authenticated (inbound) or was
// protected (outbound), so forged packets never move the window.
#pragma once

#include <array>
#include <cstdint>

namespace conclave::net {

enum class SrtpReplayVerdict : uint8_t {
  fresh,    // above the highest index, or inside the window and not seen
  seen,     // inside the window and already recorded
  too_old,  // kSize or more below the highest index
};

class SrtpReplayWindow {
 public:
  static constexpr uint64_t kSize = 1024;

  SrtpReplayVerdict check(uint64_t index) const;
  // Records index; check(index) must not have said too_old (such an index
  // is ignored).
  void add(uint64_t index);
  uint64_t highest() const { return top_; }

 private:
  bool bit(uint64_t index) const { return (bits_[(index % kSize) / 64] >> (index % 64) & 1u) != 0; }
  void set(uint64_t index) { bits_[(index % kSize) / 64] |= uint64_t{1} << (index % 64); }
  void clear(uint64_t index) { bits_[(index % kSize) / 64] &= ~(uint64_t{1} << (index % 64)); }

  uint64_t top_ = 0;
  // A ring: bit (index % kSize) is set when index, one of the kSize indices
  // ending at top_, was seen.
  std::array<uint64_t, kSize / 64> bits_{};
};

// RFC 3711 section 3.3.1 and appendix A: the 48-bit index (ROC || SEQ) of
// an SRTP packet with sequence number seq, guessed from the highest index
// of its stream: the ROC of `highest`, one more when seq has wrapped past
// it, one less when seq is a late packet from before the last wrap. A
// stream whose ROC is still 0 never guesses ROC -1 (libsrtp does the same).
// The result can exceed 48 bits only after 2^48 packets; callers refuse it.
uint64_t srtp_estimate_index(uint64_t highest, uint16_t seq);

}  // namespace conclave::net
