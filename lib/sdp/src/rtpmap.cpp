#include "conclave/sdp/rtpmap.h"

#include "syntax.h"

namespace conclave::sdp {

Result<Rtpmap> Rtpmap::parse(std::string_view value) {
  auto fields = detail::split_fields(value, 2);
  if (!fields || fields->size() != 2) return Error(Errc::invalid_rtpmap, "fields");
  Rtpmap out;
  auto pt = detail::parse_payload_type((*fields)[0]);
  if (!pt) return Error(Errc::invalid_rtpmap, "payload type");
  out.payload_type = *pt;

  std::string_view rest = (*fields)[1];
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return Error(Errc::invalid_rtpmap, "clock rate");
  const std::string_view name = rest.substr(0, slash);
  if (!detail::is_token(name)) return Error(Errc::invalid_rtpmap, "encoding name");
  out.encoding_name = std::string(name);
  rest.remove_prefix(slash + 1);

  const size_t slash2 = rest.find('/');
  auto rate = detail::parse_uint<uint32_t>(rest.substr(0, slash2));
  if (!rate || *rate == 0) return Error(Errc::invalid_rtpmap, "clock rate");
  out.clock_rate = *rate;
  if (slash2 != std::string_view::npos) {
    auto channels = detail::parse_uint<uint16_t>(rest.substr(slash2 + 1));
    if (!channels || *channels == 0) return Error(Errc::invalid_rtpmap, "encoding parameters");
    out.channels = *channels;
  }
  return out;
}

std::string Rtpmap::serialize() const {
  std::string out =
      std::to_string(payload_type) + " " + encoding_name + "/" + std::to_string(clock_rate);
  if (channels) out += "/" + std::to_string(*channels);
  return out;
}

bool Rtpmap::same_codec(const Rtpmap& other) const {
  return detail::iequals(encoding_name, other.encoding_name) && clock_rate == other.clock_rate &&
         channels.value_or(1) == other.channels.value_or(1);
}

}  // namespace conclave::sdp
