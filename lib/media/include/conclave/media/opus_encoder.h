// OpusEncoder: libopus at 48 kHz for one or two channels.
//
//   AudioFrame (48 kHz, 20 ms by default) --encode--> one Opus packet
//
// `application` picks libopus's tuning: voip (speech, the conferencing
// default), audio (music and mixed content) or restricted_lowdelay. Any
// frame length Opus allows works (2.5, 5, 10, 20, 40 or 60 ms: 120 to
// 2880 samples per channel); 20 ms is the norm for RTP. The packet is at
// most kMaxPacketSize bytes. The libopus state stays behind a pointer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/media/audio_frame.h"
#include "conclave/media/errc.h"

namespace conclave::media {

enum class OpusApplication { voip, audio, restricted_lowdelay };

struct OpusEncoderConfig {
  uint32_t channels = 1;
  OpusApplication application = OpusApplication::voip;
  uint32_t bitrate_bps = 32000;  // 6000 .. 510000
  uint32_t complexity = 9;       // 0 .. 10
  bool inband_fec = false;       // LBRR data to recover a lost previous packet
  bool dtx = false;              // discontinuous transmission in silence
};

class OpusEncoder {
 public:
  static constexpr size_t kMaxPacketSize = 1275;

  // Errors: invalid_argument for an out-of-range field, codec_error.
  static Result<OpusEncoder> create(const OpusEncoderConfig& config);

  OpusEncoder(OpusEncoder&&) noexcept;
  OpusEncoder& operator=(OpusEncoder&&) noexcept;
  ~OpusEncoder();

  // One packet for the frame. Errors: invalid_argument for another channel
  // count or a length Opus cannot frame; codec_error.
  Result<Bytes> encode(const AudioFrame& frame);

  Status set_bitrate(uint32_t bps);
  const OpusEncoderConfig& config() const;

 private:
  struct Impl;
  explicit OpusEncoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conclave::media
