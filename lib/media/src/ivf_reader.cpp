#include "conclave/media/ivf_reader.h"

#include <array>
#include <cmath>
#include <istream>
#include <limits>
#include <utility>

#include "conclave/media/video_frame.h"
#include "stream_io.h"

namespace conclave::media {

namespace {

constexpr size_t kFileHeaderSize = 32;
constexpr size_t kFrameHeaderSize = 12;

// A timestamp in the file's timebase, in 90 kHz ticks.
std::optional<int64_t> to_90khz(uint64_t ts, const IvfHeader& h) {
  constexpr auto kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (uint64_t{h.timebase_num} * VideoFrame::kClockRate == h.timebase_den) {
    if (ts > kMax) return std::nullopt;
    return static_cast<int64_t>(ts);
  }
  const double v =
      std::round(static_cast<double>(ts) * static_cast<double>(VideoFrame::kClockRate) *
                 h.timebase_num / h.timebase_den);
  if (!(v < 9.0e18)) return std::nullopt;
  return static_cast<int64_t>(v);
}

}  // namespace

IvfReader::IvfReader(std::istream& in, std::unique_ptr<std::istream> owned, const IvfLimits& limits)
    : owned_(std::move(owned)), in_(&in), limits_(limits) {}
IvfReader::IvfReader(IvfReader&&) noexcept = default;
IvfReader& IvfReader::operator=(IvfReader&&) noexcept = default;
IvfReader::~IvfReader() = default;

Result<IvfReader> IvfReader::open(std::istream& in, const IvfLimits& limits) {
  IvfReader r(in, nullptr, limits);
  CV_TRY_STATUS(r.read_header());
  return r;
}

Result<IvfReader> IvfReader::open_file(const std::string& path, const IvfLimits& limits) {
  CV_TRY(auto file, detail::open_input(path));
  std::istream& in = *file;
  IvfReader r(in, std::move(file), limits);
  CV_TRY_STATUS(r.read_header());
  return r;
}

Status IvfReader::read_header() {
  std::array<uint8_t, kFileHeaderSize> h{};
  CV_TRY_STATUS(detail::read_exact(*in_, h, "ivf file header"));
  if (!detail::has_tag(h, 0, "DKIF")) return Error(Errc::invalid_header, "ivf magic");
  if (detail::get_le16(h, 4) != 0) return Error(Errc::unsupported_format, "ivf version");
  const uint16_t header_size = detail::get_le16(h, 6);
  if (header_size < kFileHeaderSize) return Error(Errc::invalid_header, "ivf header size");
  if (header_size > kMaxHeaderSize) return Error(Errc::too_large, "ivf header size");
  if (!detail::has_tag(h, 8, "VP80")) return Error(Errc::unsupported_format, "ivf fourcc");
  header_.width = detail::get_le16(h, 12);
  header_.height = detail::get_le16(h, 14);
  header_.timebase_den = detail::get_le32(h, 16);
  header_.timebase_num = detail::get_le32(h, 20);
  header_.frame_count = detail::get_le32(h, 24);
  if (header_.width == 0 || header_.height == 0) {
    return Error(Errc::invalid_dimensions, "ivf width/height");
  }
  if (header_.timebase_den == 0 || header_.timebase_num == 0) {
    return Error(Errc::invalid_header, "ivf timebase");
  }
  return detail::skip(*in_, header_size - kFileHeaderSize, "ivf header extension");
}

Result<std::optional<EncodedFrame>> IvfReader::next() {
  if (failed_) return *failed_;
  auto result = [&]() -> Result<std::optional<EncodedFrame>> {
    if (detail::at_end(*in_)) return std::optional<EncodedFrame>{};
    std::array<uint8_t, kFrameHeaderSize> h{};
    CV_TRY_STATUS(detail::read_exact(*in_, h, "ivf frame header"));
    const uint32_t size = detail::get_le32(h, 0);
    if (size > limits_.max_frame_size) return Error(Errc::too_large, "ivf frame size");
    const auto timestamp = to_90khz(detail::get_le64(h, 4), header_);
    if (!timestamp) return Error(Errc::too_large, "ivf timestamp");
    EncodedFrame f;
    f.data.resize(size);
    CV_TRY_STATUS(detail::read_exact(*in_, f.data, "ivf frame data"));
    f.key_frame = !f.data.empty() && (f.data[0] & 1U) == 0;
    f.width = header_.width;
    f.height = header_.height;
    f.timestamp = *timestamp;
    ++frames_;
    return std::optional<EncodedFrame>(std::move(f));
  }();
  if (!result.ok()) failed_ = result.error();
  return result;
}

}  // namespace conclave::media
