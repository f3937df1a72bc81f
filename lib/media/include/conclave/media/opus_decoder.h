// OpusDecoder: libopus at 48 kHz for packets from the network (hostile).
//
//   packet --decode--> AudioFrame          lost packet --conceal--> AudioFrame
//
// decode() checks the packet's table of contents before decoding (empty
// packets, invalid frame counts and durations above 120 ms are errors)
// and never hands libopus a buffer it could overrun. conceal() runs
// libopus's packet-loss concealment for a packet that never came, so the
// output keeps its pace. Output frames are numbered on the decoder's own
// 48 kHz timeline: each starts where the previous one ended.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/media/audio_frame.h"
#include "conclave/media/errc.h"

namespace conclave::media {

class OpusDecoder {
 public:
  // 120 ms: the longest packet Opus can describe.
  static constexpr size_t kMaxSamplesPerChannel = 5760;

  // Errors: invalid_argument for channels other than 1 or 2, codec_error.
  static Result<OpusDecoder> create(uint32_t channels = 1);

  OpusDecoder(OpusDecoder&&) noexcept;
  OpusDecoder& operator=(OpusDecoder&&) noexcept;
  ~OpusDecoder();

  // Errors: truncated (empty packet), corrupt_frame (libopus refuses it).
  Result<AudioFrame> decode(BytesView packet);
  // Concealment for one lost packet of `samples_per_channel` (a multiple
  // of 2.5 ms, at most 120 ms). Errors: invalid_argument, codec_error.
  Result<AudioFrame> conceal(size_t samples_per_channel = AudioFrame::kDefaultSamplesPerChannel);

  uint32_t channels() const;
  // The timestamp the next output frame will carry.
  int64_t next_timestamp() const;

 private:
  struct Impl;
  explicit OpusDecoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conclave::media
