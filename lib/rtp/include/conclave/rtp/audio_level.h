// Client-to-mixer audio level header extension (RFC 6464, written from the
// RFC; not in specs/): one byte, |V| level(7)|, where V is the voice
// activity flag and level is the audio level in -dBov (0 = loudest,
// 127 = silence). The SFU reads it to pick active speakers without
// touching the (encrypted) payload.
#pragma once

#include <cstdint>
#include <string_view>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"

namespace conclave::rtp {

struct AudioLevel {
  static constexpr std::string_view kUri = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
  static constexpr size_t kSize = 1;

  bool voice_activity = false;
  uint8_t level = 127;  // -dBov, 0-127

  // Errors: invalid_length unless exactly one byte.
  static Result<AudioLevel> parse(BytesView data);
  // invalid_argument when level > 127.
  Result<Bytes> serialize() const;

  friend bool operator==(const AudioLevel&, const AudioLevel&) = default;
};

}  // namespace conclave::rtp
