// Y4mWriter: raw video to a YUV4MPEG2 file (see y4m_reader.h for the
// format), e.g. to record what a participant received:
//
//   YUV4MPEG2 W640 H360 F30:1 Ip A1:1 C420jpeg
//   FRAME            then Y, U, V, rows without padding
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>

#include "conclave/base/result.h"
#include "conclave/media/errc.h"
#include "conclave/media/video_frame.h"

namespace conclave::media {

class Y4mWriter {
 public:
  // Writes the stream header to `out`, which must outlive the writer.
  // Errors: invalid_dimensions, invalid_argument (a zero rate), io_error.
  static Result<Y4mWriter> create(std::ostream& out, uint32_t width, uint32_t height,
                                  uint32_t fps_num = 30, uint32_t fps_den = 1);
  static Result<Y4mWriter> create_file(const std::string& path, uint32_t width, uint32_t height,
                                       uint32_t fps_num = 30, uint32_t fps_den = 1);

  Y4mWriter(Y4mWriter&&) noexcept;
  Y4mWriter& operator=(Y4mWriter&&) noexcept;
  ~Y4mWriter();

  // Errors: invalid_argument (another size), closed, io_error.
  Status write(const VideoFrame& frame);
  // Flushes; further writes fail with closed.
  Status close();
  uint64_t frames_written() const { return frames_; }

 private:
  Y4mWriter(std::ostream& out, std::unique_ptr<std::ostream> owned, uint32_t width,
            uint32_t height);

  std::unique_ptr<std::ostream> owned_;
  std::ostream* out_;
  uint32_t width_;
  uint32_t height_;
  uint64_t frames_ = 0;
  bool closed_ = false;
};

}  // namespace conclave::media
