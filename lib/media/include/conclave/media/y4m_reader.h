// Y4mReader: raw video from a YUV4MPEG2 file (the format of ffmpeg -f
// yuv4mpegpipe, x264 and vpxenc), a source for the CLI's participant.
//
//   "YUV4MPEG2" { " " tag value } "\n"          stream header
//   { "FRAME" { " " tag value } "\n" Y U V }    frames, planes tight
//
// Stream tags: W width and H height (required), F rate "n:d" (default
// 30:1), I interlacing p/t/b/m/? (frames are read as progressive), A pixel
// aspect "n:d", C colour space 420jpeg (default), 420paldv, 420mpeg2 or
// 420 (all the I420 layout; other colour spaces are unsupported_format),
// X comments (ignored). Any other tag is invalid_header.
//
// Input is hostile: lines are bounded (Y4mLimits::max_line), W and H and
// their product are bounded before anything is allocated, a file ending
// inside a frame is truncated. After an error every further next() returns
// that error. Frame N gets the timestamp N * 90000 * d / n (90 kHz).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "conclave/base/result.h"
#include "conclave/media/errc.h"
#include "conclave/media/video_frame.h"

namespace conclave::media {

struct Y4mLimits {
  uint32_t max_width = 8192;
  uint32_t max_height = 8192;
  uint64_t max_pixels = uint64_t{4096} * 2304;
  size_t max_line = 1024;
};

struct Y4mHeader {
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t fps_num = 30;
  uint32_t fps_den = 1;
  char interlace = 'p';
  uint32_t aspect_num = 0;  // 0:0 unknown
  uint32_t aspect_den = 0;
  std::string colorspace = "420jpeg";

  friend bool operator==(const Y4mHeader&, const Y4mHeader&) = default;
};

class Y4mReader {
 public:
  // Reads the stream header from `in`, which must outlive the reader.
  static Result<Y4mReader> open(std::istream& in, const Y4mLimits& limits = {});
  static Result<Y4mReader> open_file(const std::string& path, const Y4mLimits& limits = {});

  Y4mReader(Y4mReader&&) noexcept;
  Y4mReader& operator=(Y4mReader&&) noexcept;
  ~Y4mReader();

  const Y4mHeader& header() const { return header_; }
  // The next frame, or nullopt at the end of the stream.
  Result<std::optional<VideoFrame>> next();
  uint64_t frames_read() const { return frames_; }

 private:
  Y4mReader(std::istream& in, std::unique_ptr<std::istream> owned, const Y4mLimits& limits);
  Status read_header();

  std::unique_ptr<std::istream> owned_;
  std::istream* in_;
  Y4mLimits limits_;
  Y4mHeader header_;
  uint64_t frames_ = 0;
  std::optional<Error> failed_;
};

}  // namespace conclave::media
