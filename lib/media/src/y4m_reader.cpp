#include "conclave/media/y4m_reader.h"

#include <cmath>
#include <istream>
#include <string_view>
#include <utility>

#include "stream_io.h"

namespace conclave::media {

namespace {

constexpr std::string_view kMagic = "YUV4MPEG2";
constexpr std::string_view kFrame = "FRAME";

// A decimal number of 1 to 10 digits, at most `max`.
std::optional<uint32_t> parse_uint(std::string_view s, uint64_t max = 0xffffffffU) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > max) return std::nullopt;
  return static_cast<uint32_t>(v);
}

// "n:d".
std::optional<std::pair<uint32_t, uint32_t>> parse_ratio(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto n = parse_uint(s.substr(0, colon));
  auto d = parse_uint(s.substr(colon + 1));
  if (!n || !d) return std::nullopt;
  return std::pair{*n, *d};
}

bool supported_colorspace(std::string_view c) {
  return c == "420jpeg" || c == "420paldv" || c == "420mpeg2" || c == "420";
}

}  // namespace

Y4mReader::Y4mReader(std::istream& in, std::unique_ptr<std::istream> owned, const Y4mLimits& limits)
    : owned_(std::move(owned)), in_(&in), limits_(limits) {}
Y4mReader::Y4mReader(Y4mReader&&) noexcept = default;
Y4mReader& Y4mReader::operator=(Y4mReader&&) noexcept = default;
Y4mReader::~Y4mReader() = default;

Result<Y4mReader> Y4mReader::open(std::istream& in, const Y4mLimits& limits) {
  Y4mReader r(in, nullptr, limits);
  CV_TRY_STATUS(r.read_header());
  return r;
}

Result<Y4mReader> Y4mReader::open_file(const std::string& path, const Y4mLimits& limits) {
  CV_TRY(auto file, detail::open_input(path));
  std::istream& in = *file;
  Y4mReader r(in, std::move(file), limits);
  CV_TRY_STATUS(r.read_header());
  return r;
}

Status Y4mReader::read_header() {
  CV_TRY(const std::string line, detail::read_line(*in_, limits_.max_line, "y4m stream header"));
  const std::string_view s(line);
  if (s.substr(0, kMagic.size()) != kMagic) return Error(Errc::invalid_header, "y4m magic");
  std::string_view rest = s.substr(kMagic.size());
  bool have_w = false;
  bool have_h = false;
  while (!rest.empty()) {
    if (rest.front() != ' ') return Error(Errc::invalid_header, "y4m separator");
    rest.remove_prefix(1);
    const size_t end = rest.find(' ');
    const std::string_view token = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    if (token.empty()) return Error(Errc::invalid_header, "y4m empty parameter");
    const std::string_view value = token.substr(1);
    switch (token.front()) {
      case 'W':
      case 'H': {
        auto v = parse_uint(value);
        if (!v) return Error(Errc::invalid_header, "y4m W/H");
        (token.front() == 'W' ? header_.width : header_.height) = *v;
        (token.front() == 'W' ? have_w : have_h) = true;
        break;
      }
      case 'F': {
        auto r = parse_ratio(value);
        if (!r || r->first == 0 || r->second == 0) return Error(Errc::invalid_header, "y4m F");
        header_.fps_num = r->first;
        header_.fps_den = r->second;
        break;
      }
      case 'I':
        if (value.size() != 1 ||
            std::string_view("ptbm?").find(value[0]) == std::string_view::npos) {
          return Error(Errc::invalid_header, "y4m I");
        }
        header_.interlace = value[0];
        break;
      case 'A': {
        auto r = parse_ratio(value);
        if (!r) return Error(Errc::invalid_header, "y4m A");
        header_.aspect_num = r->first;
        header_.aspect_den = r->second;
        break;
      }
      case 'C':
        if (!supported_colorspace(value)) return Error(Errc::unsupported_format, "y4m C");
        header_.colorspace = std::string(value);
        break;
      case 'X':
        break;
      default:
        return Error(Errc::invalid_header, "y4m unknown parameter");
    }
  }
  if (!have_w || !have_h) return Error(Errc::invalid_header, "y4m W and H required");
  if (header_.width == 0 || header_.height == 0 || header_.width > limits_.max_width ||
      header_.height > limits_.max_height || header_.width > VideoFrame::kMaxDimension ||
      header_.height > VideoFrame::kMaxDimension ||
      uint64_t{header_.width} * header_.height > limits_.max_pixels) {
    return Error(Errc::invalid_dimensions, "y4m W/H");
  }
  return ok_status();
}

Result<std::optional<VideoFrame>> Y4mReader::next() {
  if (failed_) return *failed_;
  auto result = [&]() -> Result<std::optional<VideoFrame>> {
    if (detail::at_end(*in_)) return std::optional<VideoFrame>{};
    CV_TRY(const std::string line, detail::read_line(*in_, limits_.max_line, "y4m frame header"));
    const std::string_view s(line);
    if (s.substr(0, kFrame.size()) != kFrame ||
        (s.size() > kFrame.size() && s[kFrame.size()] != ' ')) {
      return Error(Errc::invalid_header, "y4m FRAME");
    }
    const double ts =
        std::round(static_cast<double>(frames_) * static_cast<double>(VideoFrame::kClockRate) *
                   header_.fps_den / header_.fps_num);
    if (!(ts < 9.0e18)) return Error(Errc::too_large, "y4m timestamp");
    CV_TRY(VideoFrame frame,
           VideoFrame::create(header_.width, header_.height, static_cast<int64_t>(ts)));
    for (Plane p : {Plane::y, Plane::u, Plane::v}) {
      // Tight strides (stride_align 1): the plane is contiguous.
      CV_TRY_STATUS(detail::read_exact(*in_, frame.plane(p), "y4m frame data"));
    }
    ++frames_;
    return std::optional<VideoFrame>(std::move(frame));
  }();
  if (!result.ok()) failed_ = result.error();
  return result;
}

}  // namespace conclave::media
