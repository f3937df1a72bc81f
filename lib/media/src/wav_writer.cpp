#include "conclave/media/wav_writer.h"

#include <ostream>
#include <utility>

#include "stream_io.h"

namespace conclave::media {

namespace {

constexpr uint64_t kMaxDataBytes = 0xffffffffULL - (WavWriter::kHeaderSize - 8);

Bytes header(uint32_t channels, uint64_t data_bytes) {
  const uint32_t block_align = 2 * channels;
  Bytes h;
  h.reserve(WavWriter::kHeaderSize);
  const auto tag = [&h](std::string_view t) { h.insert(h.end(), t.begin(), t.end()); };
  tag("RIFF");
  detail::put_le(h, WavWriter::kHeaderSize - 8 + data_bytes, 4);
  tag("WAVE");
  tag("fmt ");
  detail::put_le(h, 16, 4);
  detail::put_le(h, 1, 2);  // PCM
  detail::put_le(h, channels, 2);
  detail::put_le(h, AudioFrame::kSampleRate, 4);
  detail::put_le(h, uint64_t{AudioFrame::kSampleRate} * block_align, 4);
  detail::put_le(h, block_align, 2);
  detail::put_le(h, 16, 2);  // bits per sample
  tag("data");
  detail::put_le(h, data_bytes, 4);
  return h;
}

}  // namespace

WavWriter::WavWriter(std::ostream& out, std::unique_ptr<std::ostream> owned, uint32_t channels,
                     int64_t start)
    : owned_(std::move(owned)), out_(&out), channels_(channels), start_(start) {}

WavWriter::WavWriter(WavWriter&& other) noexcept
    : owned_(std::move(other.owned_)),
      out_(other.out_),
      channels_(other.channels_),
      start_(other.start_),
      data_bytes_(other.data_bytes_),
      closed_(other.closed_) {
  other.closed_ = true;  // the moved-from writer no longer owns the header
}

WavWriter& WavWriter::operator=(WavWriter&& other) noexcept {
  if (this != &other) {
    (void)close();
    owned_ = std::move(other.owned_);
    out_ = other.out_;
    channels_ = other.channels_;
    start_ = other.start_;
    data_bytes_ = other.data_bytes_;
    closed_ = other.closed_;
    other.closed_ = true;
  }
  return *this;
}

WavWriter::~WavWriter() {
  (void)close();
}

Result<WavWriter> WavWriter::create(std::ostream& out, uint32_t channels) {
  if (channels == 0 || channels > AudioFrame::kMaxChannels) {
    return Error(Errc::invalid_argument, "channels");
  }
  const auto start = static_cast<int64_t>(out.tellp());
  CV_TRY_STATUS(detail::write_all(out, header(channels, 0), "wav header"));
  return WavWriter(out, nullptr, channels, start);
}

Result<WavWriter> WavWriter::create_file(const std::string& path, uint32_t channels) {
  if (channels == 0 || channels > AudioFrame::kMaxChannels) {
    return Error(Errc::invalid_argument, "channels");
  }
  CV_TRY(auto file, detail::open_output(path));
  CV_TRY_STATUS(detail::write_all(*file, header(channels, 0), "wav header"));
  std::ostream& out = *file;
  return WavWriter(out, std::move(file), channels, 0);
}

Status WavWriter::write(const AudioFrame& frame) {
  if (closed_) return Errc::closed;
  if (frame.channels() != channels_) return Error(Errc::invalid_argument, "channel count");
  const auto samples = frame.samples();
  if (data_bytes_ + 2 * samples.size() > kMaxDataBytes) {
    return Error(Errc::too_large, "wav data beyond 4 GiB");
  }
  Bytes raw;
  raw.reserve(2 * samples.size());
  for (int16_t s : samples) detail::put_le(raw, static_cast<uint16_t>(s), 2);
  CV_TRY_STATUS(detail::write_all(*out_, raw, "wav data"));
  data_bytes_ += raw.size();
  return ok_status();
}

Status WavWriter::close() {
  if (closed_) return ok_status();
  closed_ = true;
  if (start_ < 0) return Error(Errc::io_error, "wav stream not seekable");
  const auto end = out_->tellp();
  const Bytes h = header(channels_, data_bytes_);
  out_->seekp(start_);
  CV_TRY_STATUS(detail::write_all(*out_, h, "wav header patch"));
  out_->seekp(end);
  out_->flush();
  if (!*out_) return Error(Errc::io_error, "wav close");
  return ok_status();
}

}  // namespace conclave::media
