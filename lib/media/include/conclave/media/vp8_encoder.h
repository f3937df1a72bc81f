// Vp8Encoder: libvpx VP8 configured for real-time conferencing.
//
//   VideoFrame (I420, 90 kHz timestamp) --encode--> EncodedFrame(s)
//
// One-pass CBR at the target bitrate, no look-ahead (every input frame
// comes out at once, or is dropped when drop_frames allows it), error
// resilient by default so a lost frame only damages what refers to it, a
// key frame at least every key_frame_interval frames and on
// request_key_frame() (what a receiver's PLI or FIR asks for). libvpx runs
// `threads` worker threads (1 by default: the caller's thread only).
//
// A frame of another size than the configured one re-creates the encoder
// at the new size, and its first output is a key frame. The libvpx
// context stays behind a pointer: no libvpx header leaks from here.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/media/encoded_frame.h"
#include "conclave/media/errc.h"
#include "conclave/media/video_frame.h"

namespace conclave::media {

struct Vp8EncoderConfig {
  uint32_t width = 640;
  uint32_t height = 360;
  uint32_t bitrate_kbps = 1000;
  uint32_t fps = 30;
  // Frames between key frames; 0: only the first frame and requested ones.
  uint32_t key_frame_interval = 300;
  bool error_resilient = true;
  // Let the rate control skip frames when the bitrate cannot keep up.
  bool drop_frames = false;
  uint32_t threads = 1;
  // libvpx speed for real time, 4..16 (VP8E_SET_CPUUSED, negative in libvpx):
  // higher is faster and coarser.
  uint32_t speed = 6;
  uint32_t min_quantizer = 2;
  uint32_t max_quantizer = 56;
};

class Vp8Encoder {
 public:
  // Errors: invalid_argument for an out-of-range field, invalid_dimensions
  // for the size, codec_error when libvpx refuses the configuration.
  static Result<Vp8Encoder> create(const Vp8EncoderConfig& config);

  Vp8Encoder(Vp8Encoder&&) noexcept;
  Vp8Encoder& operator=(Vp8Encoder&&) noexcept;
  ~Vp8Encoder();

  // Encodes one frame. Returns the frames libvpx produced: one, or none
  // when the rate control dropped the frame (drop_frames). Each carries
  // the input's timestamp. Timestamps should increase; a repeated or
  // earlier one is moved one tick past the previous frame for libvpx.
  // Errors: codec_error.
  Result<std::vector<EncodedFrame>> encode(const VideoFrame& frame);

  // The next encoded frame will be a key frame.
  void request_key_frame();

  // Changes the target bitrate from the next frame on (e.g. after REMB).
  Status set_bitrate(uint32_t kbps);

  const Vp8EncoderConfig& config() const;
  uint64_t frames_encoded() const;

 private:
  struct Impl;
  explicit Vp8Encoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conclave::media
