// IvfReader: encoded VP8 frames from an IVF file (format in ivf_writer.h),
// e.g. a pre-encoded clip to publish without encoding.
//
// Input is hostile: the magic, version 0, a header size of at least 32
// (longer headers are skipped, up to 1024 bytes), fourcc VP80 (others are
// unsupported_format), non-zero dimensions and timebase are checked; each
// frame's size is bounded by IvfLimits::max_frame_size before anything is
// allocated; a file ending inside a frame is truncated. Timestamps are
// converted from the file's timebase to 90 kHz (exactly for 1/90000);
// one that does not fit is an error. key_frame comes from the VP8 frame
// tag; width and height from the file header. After an error every further
// next() returns that error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "conclave/base/result.h"
#include "conclave/media/encoded_frame.h"
#include "conclave/media/errc.h"

namespace conclave::media {

struct IvfLimits {
  size_t max_frame_size = size_t{4} << 20;
};

struct IvfHeader {
  uint32_t width = 0;
  uint32_t height = 0;
  uint32_t timebase_num = 1;
  uint32_t timebase_den = 90000;
  uint32_t frame_count = 0;  // as announced, not trusted

  friend bool operator==(const IvfHeader&, const IvfHeader&) = default;
};

class IvfReader {
 public:
  static constexpr size_t kMaxHeaderSize = 1024;

  // Reads the file header from `in`, which must outlive the reader.
  static Result<IvfReader> open(std::istream& in, const IvfLimits& limits = {});
  static Result<IvfReader> open_file(const std::string& path, const IvfLimits& limits = {});

  IvfReader(IvfReader&&) noexcept;
  IvfReader& operator=(IvfReader&&) noexcept;
  ~IvfReader();

  const IvfHeader& header() const { return header_; }
  // The next frame, or nullopt at the end of the file.
  Result<std::optional<EncodedFrame>> next();
  uint64_t frames_read() const { return frames_; }

 private:
  IvfReader(std::istream& in, std::unique_ptr<std::istream> owned, const IvfLimits& limits);
  Status read_header();

  std::unique_ptr<std::istream> owned_;
  std::istream* in_;
  IvfLimits limits_;
  IvfHeader header_;
  uint64_t frames_ = 0;
  std::optional<Error> failed_;
};

}  // namespace conclave::media
