#include "conclave/rtp/audio_level.h"

namespace conclave::rtp {

Result<AudioLevel> AudioLevel::parse(BytesView data) {
  if (data.size() != kSize) return Error(Errc::invalid_length, "audio level");
  return AudioLevel{(data[0] & 0x80) != 0, static_cast<uint8_t>(data[0] & 0x7f)};
}

Result<Bytes> AudioLevel::serialize() const {
  if (level > 127) return Error(Errc::invalid_argument, "audio level");
  return Bytes{static_cast<uint8_t>((voice_activity ? 0x80 : 0) | level)};
}

}  // namespace conclave::rtp
