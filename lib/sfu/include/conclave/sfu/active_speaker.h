// ActiveSpeakerDetector: who is speaking, from the client-to-mixer audio
// level header extension (RFC 6464) alone. The SFU never looks at audio
// payloads (they are SFrame ciphertext); the level is what the sender chose
// to expose, in -dBov (0 loudest, 127 silence).
//
// Each interval (tick()) averages the loudness (127 - level) of every
// stream's packets, smooths it over intervals, and names the loudest
// stream above a floor. A new speaker must beat the current one by a
// margin, so two similar voices do not make the choice flicker; a current
// speaker who falls silent is replaced by nobody.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>

namespace conclave::sfu {

class ActiveSpeakerDetector {
 public:
  // Smoothed loudness a stream needs to count as speaking (0-127): 127-60,
  // that is louder than -60 dBov on average.
  static constexpr double kSpeechFloor = 67.0;
  // A challenger must be this much louder (in loudness units) than the
  // current speaker.
  static constexpr double kSwitchMargin = 4.0;
  static constexpr double kSmoothing = 0.5;  // weight of the newest interval

  // One audio packet's level (0-127) for the stream `ssrc`.
  void on_level(uint32_t ssrc, uint8_t level);
  void remove(uint32_t ssrc);

  // Closes an interval. Returns the new dominant stream when it changed
  // (0 when nobody speaks any more), nullopt when it did not change.
  std::optional<uint32_t> tick();

  // 0 when nobody is speaking.
  uint32_t dominant() const { return dominant_; }
  double score(uint32_t ssrc) const;

 private:
  struct Stream {
    double sum = 0;
    uint32_t count = 0;
    double score = 0;
  };
  std::unordered_map<uint32_t, Stream> streams_;
  uint32_t dominant_ = 0;
};

}  // namespace conclave::sfu
