// Vp8Decoder: libvpx VP8 decoding of frames that came over the network,
// so every byte is hostile.
//
//   bytes --Vp8FrameHeader::parse + limits--> libvpx --> VideoFrame (copy)
//
// Before libvpx sees a frame the decoder checks its header: the first
// partition inside the frame, a key frame's dimensions within the
// configured limits (libvpx would otherwise allocate whatever a key frame
// announces), the frame size within max_frame_size. Anything refused, or
// refused or flagged corrupt by libvpx, is an error, and from then on the
// decoder drops delta frames with key_frame_required until a key frame
// arrives; that key frame starts a fresh libvpx context, so no state of
// the damaged stream survives. A receiver sends a PLI on
// key_frame_required.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/media/errc.h"
#include "conclave/media/video_frame.h"

namespace conclave::media {

struct Vp8DecoderConfig {
  uint32_t threads = 1;
  uint32_t max_width = 4096;
  uint32_t max_height = 4096;
  uint64_t max_pixels = uint64_t{4096} * 2304;
  size_t max_frame_size = size_t{4} << 20;
};

class Vp8Decoder {
 public:
  // Errors: invalid_argument for a bad limit, codec_error from libvpx.
  static Result<Vp8Decoder> create(const Vp8DecoderConfig& config = {});

  Vp8Decoder(Vp8Decoder&&) noexcept;
  Vp8Decoder& operator=(Vp8Decoder&&) noexcept;
  ~Vp8Decoder();

  // Decodes one complete encoded frame. Returns the picture to show (with
  // `timestamp`, 90 kHz) or nullopt for a frame that is not shown.
  // Errors: truncated / invalid_header (frame header), invalid_dimensions
  // / too_large (limits), key_frame_required, corrupt_frame (libvpx).
  Result<std::optional<VideoFrame>> decode(BytesView frame, int64_t timestamp = 0);

  // True until the first key frame and again after any error.
  bool waiting_for_key_frame() const;
  uint64_t frames_decoded() const;
  uint64_t errors() const;

 private:
  struct Impl;
  explicit Vp8Decoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace conclave::media
