// WavReader: 16-bit PCM audio from a RIFF/WAVE file at 48 kHz, mono or
// stereo, the audio source of the CLI's participant.
//
//   "RIFF" size32 "WAVE" { chunk }     chunk = id[4] size32 data [pad byte]
//   "fmt " format 1 (PCM) or 0xFFFE (extensible, PCM subformat), channels
//          1|2, rate 48000, block_align = 2 * channels, 16 bits
//   "data" the interleaved samples, little endian
//
// The walk is defensive: chunks of odd size are followed by a pad byte,
// unknown chunks (LIST, fact, ...) are skipped, at most kMaxChunks come
// before "data", "fmt " must come first, once, and be 16 to 1024 bytes.
// Other sample rates, sample sizes or encodings are unsupported_format
// (no resampling here). A data size of 0xFFFFFFFF (a stream still being
// written) or beyond the end of the file means "until the end of the file";
// a trailing partial sample is dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "conclave/base/result.h"
#include "conclave/media/audio_frame.h"
#include "conclave/media/errc.h"

namespace conclave::media {

class WavReader {
 public:
  static constexpr size_t kMaxChunks = 64;
  static constexpr uint32_t kMaxFmtSize = 1024;

  // Reads the header up to the samples from `in`, which must outlive the
  // reader. Errors: truncated, invalid_header, unsupported_format,
  // too_large (too many chunks, fmt too big), io_error.
  static Result<WavReader> open(std::istream& in);
  static Result<WavReader> open_file(const std::string& path);

  WavReader(WavReader&&) noexcept;
  WavReader& operator=(WavReader&&) noexcept;
  ~WavReader();

  uint32_t channels() const { return channels_; }
  uint32_t sample_rate() const { return AudioFrame::kSampleRate; }

  // The next `samples_per_channel` samples (fewer at the end of the data),
  // or nullopt when none are left. Timestamp: the position of the first
  // sample. Errors: invalid_argument (a length of 0 or above
  // AudioFrame::kMaxSamplesPerChannel), io_error.
  Result<std::optional<AudioFrame>> next(
      size_t samples_per_channel = AudioFrame::kDefaultSamplesPerChannel);
  uint64_t samples_read() const { return position_; }

 private:
  WavReader(std::istream& in, std::unique_ptr<std::istream> owned);
  Status read_header();

  std::unique_ptr<std::istream> owned_;
  std::istream* in_;
  uint32_t channels_ = 0;
  // Bytes of sample data left, or nullopt for "until the end".
  std::optional<uint64_t> remaining_;
  uint64_t position_ = 0;
  bool done_ = false;
};

}  // namespace conclave::media
