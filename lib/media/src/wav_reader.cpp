#include "conclave/media/wav_reader.h"

#include <array>
#include <istream>
#include <utility>
#include <vector>

#include "stream_io.h"

namespace conclave::media {

namespace {

constexpr uint16_t kFormatPcm = 1;
constexpr uint16_t kFormatExtensible = 0xfffe;
// KSDATAFORMAT_SUBTYPE_PCM as stored in the file.
constexpr std::array<uint8_t, 16> kPcmSubformat = {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
                                                   0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71};
constexpr uint32_t kUnknownSize = 0xffffffffU;

// Checks the "fmt " chunk body; returns the channel count.
Result<uint32_t> parse_fmt(BytesView fmt) {
  const uint16_t format = detail::get_le16(fmt, 0);
  const uint16_t channels = detail::get_le16(fmt, 2);
  const uint32_t rate = detail::get_le32(fmt, 4);
  const uint16_t block_align = detail::get_le16(fmt, 12);
  const uint16_t bits = detail::get_le16(fmt, 14);
  if (format == kFormatExtensible) {
    if (fmt.size() < 40 || detail::get_le16(fmt, 16) < 22) {
      return Error(Errc::invalid_header, "wav extensible fmt");
    }
    if (!equal(fmt.subspan(24, 16), kPcmSubformat)) {
      return Error(Errc::unsupported_format, "wav subformat not PCM");
    }
    if (detail::get_le16(fmt, 18) != 16) return Error(Errc::unsupported_format, "wav valid bits");
  } else if (format != kFormatPcm) {
    return Error(Errc::unsupported_format, "wav format not PCM");
  }
  if (channels != 1 && channels != 2) return Error(Errc::unsupported_format, "wav channels");
  if (rate != AudioFrame::kSampleRate) return Error(Errc::unsupported_format, "wav sample rate");
  if (bits != 16) return Error(Errc::unsupported_format, "wav bits per sample");
  if (block_align != 2 * channels) return Error(Errc::invalid_header, "wav block align");
  return uint32_t{channels};
}

}  // namespace

WavReader::WavReader(std::istream& in, std::unique_ptr<std::istream> owned)
    : owned_(std::move(owned)), in_(&in) {}
WavReader::WavReader(WavReader&&) noexcept = default;
WavReader& WavReader::operator=(WavReader&&) noexcept = default;
WavReader::~WavReader() = default;

Result<WavReader> WavReader::open(std::istream& in) {
  WavReader r(in, nullptr);
  CV_TRY_STATUS(r.read_header());
  return r;
}

Result<WavReader> WavReader::open_file(const std::string& path) {
  CV_TRY(auto file, detail::open_input(path));
  std::istream& in = *file;
  WavReader r(in, std::move(file));
  CV_TRY_STATUS(r.read_header());
  return r;
}

Status WavReader::read_header() {
  std::array<uint8_t, 12> riff{};
  CV_TRY_STATUS(detail::read_exact(*in_, riff, "wav RIFF header"));
  if (detail::has_tag(riff, 0, "RIFX") || detail::has_tag(riff, 0, "RF64")) {
    return Error(Errc::unsupported_format, "wav big-endian or RF64");
  }
  if (!detail::has_tag(riff, 0, "RIFF") || !detail::has_tag(riff, 8, "WAVE")) {
    return Error(Errc::invalid_header, "wav magic");
  }
  bool have_fmt = false;
  for (size_t chunks = 0;; ++chunks) {
    if (chunks >= kMaxChunks) return Error(Errc::too_large, "wav chunk count");
    std::array<uint8_t, 8> head{};
    CV_TRY_STATUS(detail::read_exact(*in_, head, "wav chunk header"));
    const uint32_t size = detail::get_le32(head, 4);
    if (detail::has_tag(head, 0, "fmt ")) {
      if (have_fmt) return Error(Errc::invalid_header, "wav second fmt chunk");
      if (size < 16) return Error(Errc::invalid_header, "wav fmt chunk size");
      if (size > kMaxFmtSize) return Error(Errc::too_large, "wav fmt chunk size");
      Bytes fmt(size);
      CV_TRY_STATUS(detail::read_exact(*in_, fmt, "wav fmt chunk"));
      if (size % 2 != 0) CV_TRY_STATUS(detail::skip(*in_, 1, "wav chunk padding"));
      CV_TRY(channels_, parse_fmt(fmt));
      have_fmt = true;
    } else if (detail::has_tag(head, 0, "data")) {
      if (!have_fmt) return Error(Errc::invalid_header, "wav data before fmt");
      if (size != kUnknownSize) remaining_ = size;
      return ok_status();
    } else {
      CV_TRY_STATUS(detail::skip(*in_, uint64_t{size} + (size % 2), "wav chunk"));
    }
  }
}

Result<std::optional<AudioFrame>> WavReader::next(size_t samples_per_channel) {
  if (samples_per_channel == 0 || samples_per_channel > AudioFrame::kMaxSamplesPerChannel) {
    return Error(Errc::invalid_argument, "samples_per_channel");
  }
  if (done_) return std::optional<AudioFrame>{};
  const size_t block = 2 * channels_;
  uint64_t want = uint64_t{samples_per_channel} * block;
  if (remaining_ && *remaining_ < want) want = *remaining_ - *remaining_ % block;
  Bytes raw(static_cast<size_t>(want));
  in_->read(reinterpret_cast<char*>(raw.data()),  // NOLINT: iostreams speak char
            static_cast<std::streamsize>(raw.size()));
  const auto got = static_cast<size_t>(in_->gcount());
  if (got < raw.size()) {
    if (!in_->eof()) return Error(Errc::io_error, "wav data");
    done_ = true;
  }
  if (remaining_) {
    *remaining_ -= got;
    if (*remaining_ < block) done_ = true;
  }
  const size_t usable = got - got % block;
  if (usable == 0) {
    done_ = true;
    return std::optional<AudioFrame>{};
  }
  std::vector<int16_t> samples(usable / 2);
  for (size_t i = 0; i < samples.size(); ++i) {
    samples[i] = static_cast<int16_t>(detail::get_le16(raw, 2 * i));
  }
  const auto timestamp = static_cast<int64_t>(position_);
  CV_TRY(AudioFrame frame, AudioFrame::from_samples(channels_, std::move(samples), timestamp));
  position_ += frame.samples_per_channel();
  return std::optional<AudioFrame>(std::move(frame));
}

}  // namespace conclave::media
