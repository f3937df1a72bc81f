// IvfWriter: encoded VP8 frames to an IVF file (the container of libvpx's
// tools), e.g. to keep the encoded stream a participant received:
//
//   file header, 32 bytes, little endian:
//     "DKIF" version16 (0) header_size16 (32) fourcc "VP80" width16 height16
//     timebase_den32 (rate) timebase_num32 (scale) frame_count32 unused32
//   per frame, 12 bytes then the data:
//     size32 timestamp64 (in timebase units)
//
// The writer uses the timebase 1/90000, so EncodedFrame timestamps go in
// unchanged. close() (or the destructor) patches the frame count when the
// stream is seekable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>

#include "conclave/base/result.h"
#include "conclave/media/encoded_frame.h"
#include "conclave/media/errc.h"

namespace conclave::media {

class IvfWriter {
 public:
  static constexpr size_t kFileHeaderSize = 32;
  static constexpr size_t kFrameHeaderSize = 12;

  // Writes the file header to `out`, which must outlive the writer.
  // Errors: invalid_dimensions (0 or above 65535), io_error.
  static Result<IvfWriter> create(std::ostream& out, uint32_t width, uint32_t height);
  static Result<IvfWriter> create_file(const std::string& path, uint32_t width, uint32_t height);

  IvfWriter(IvfWriter&&) noexcept;
  IvfWriter& operator=(IvfWriter&&) noexcept;
  ~IvfWriter();  // close()s, ignoring errors

  // Errors: invalid_argument (negative timestamp, frame above 4 GiB),
  // closed, io_error.
  Status write(const EncodedFrame& frame);
  Status close();
  uint32_t frames_written() const { return frames_; }

 private:
  IvfWriter(std::ostream& out, std::unique_ptr<std::ostream> owned, uint32_t width, uint32_t height,
            int64_t start);

  std::unique_ptr<std::ostream> owned_;
  std::ostream* out_;
  uint32_t width_;
  uint32_t height_;
  int64_t start_;  // where the header begins (-1: not seekable)
  uint32_t frames_ = 0;
  bool closed_ = false;
};

}  // namespace conclave::media
