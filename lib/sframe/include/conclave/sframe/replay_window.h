// ReplayWindow: counter-based anti-replay for one KID, adapted from SRTP
// (RFC 3711 section 3.3.2) as RFC 9605 section 9.3 suggests, using the
// frame's CTR as the index.
//
// The window remembers the highest CTR accepted so far and which of the
// 128 counters at and below it were seen:
//
//            too old         |<---------- 128 ---------->|   new
//   ... ---------------------+---+---+-- ... --+---+---+-+--------->
//                            top-127              top-1 top    CTR
//
// A CTR above `top` is new; one inside the window is new when its bit is
// clear; anything else is a replay. check() only looks; update() records a
// CTR and is called only after the frame authenticated, so forged frames
// never move the window.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

namespace conclave::sframe {

class ReplayWindow {
 public:
  static constexpr uint64_t kSize = 128;

  // True when ctr has not been seen and is not older than the window.
  bool check(uint64_t ctr) const;
  // Records ctr as received; check(ctr) must have returned true.
  void update(uint64_t ctr);

  // The highest CTR recorded, if any.
  std::optional<uint64_t> highest() const;

 private:
  bool bit(uint64_t offset) const;
  void shift(uint64_t by);

  bool started_ = false;
  uint64_t top_ = 0;
  // Bit i of the 128-bit map (bits_[i / 64], bit i % 64) is set when
  // CTR top_ - i was seen.
  std::array<uint64_t, 2> bits_{};
};

}  // namespace conclave::sframe
