// WavWriter: 16-bit PCM at 48 kHz to a canonical 44-byte-header WAV file
// (RIFF, "fmt " of 16 bytes, "data"). The header goes out first with the
// sizes of an empty file; close() (or the destructor) seeks back and writes
// the real RIFF and data sizes, so the stream must be seekable (files and
// string streams are). Data beyond 4 GiB cannot be described: writes that
// would pass it fail with too_large.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>

#include "conclave/base/result.h"
#include "conclave/media/audio_frame.h"
#include "conclave/media/errc.h"

namespace conclave::media {

class WavWriter {
 public:
  static constexpr size_t kHeaderSize = 44;

  // Writes the provisional header to `out`, which must outlive the writer.
  // Errors: invalid_argument (channels not 1 or 2), io_error.
  static Result<WavWriter> create(std::ostream& out, uint32_t channels);
  static Result<WavWriter> create_file(const std::string& path, uint32_t channels);

  WavWriter(WavWriter&&) noexcept;
  WavWriter& operator=(WavWriter&&) noexcept;
  ~WavWriter();  // close()s, ignoring errors

  // Errors: invalid_argument (another channel count), too_large, closed,
  // io_error.
  Status write(const AudioFrame& frame);
  // Patches the header and flushes; further writes fail with closed.
  Status close();
  uint64_t samples_written() const { return data_bytes_ / (2 * channels_); }

 private:
  WavWriter(std::ostream& out, std::unique_ptr<std::ostream> owned, uint32_t channels,
            int64_t start);

  std::unique_ptr<std::ostream> owned_;
  std::ostream* out_;
  uint32_t channels_;
  int64_t start_;  // where the header begins (-1: not seekable)
  uint64_t data_bytes_ = 0;
  bool closed_ = false;
};

}  // namespace conclave::media
