#include "conclave/sdp/rtcp_fb.h"

#include "syntax.h"

namespace conclave::sdp {

namespace {
constexpr size_t kMaxFields = 16;
}  // namespace

Result<RtcpFb> RtcpFb::parse(std::string_view value) {
  auto fields = detail::split_fields(value, kMaxFields);
  if (!fields || fields->size() < 2) return Error(Errc::invalid_rtcp_fb, "fields");
  RtcpFb out;
  if ((*fields)[0] != "*") {
    auto pt = detail::parse_payload_type((*fields)[0]);
    if (!pt) return Error(Errc::invalid_rtcp_fb, "payload type");
    out.payload_type = *pt;
  }
  if (!detail::is_token((*fields)[1])) return Error(Errc::invalid_rtcp_fb, "type");
  out.type = std::string((*fields)[1]);
  for (size_t i = 2; i < fields->size(); ++i) {
    if (!detail::is_non_ws((*fields)[i])) return Error(Errc::invalid_rtcp_fb, "parameter");
    if (!out.parameter.empty()) out.parameter += ' ';
    out.parameter += (*fields)[i];
  }
  return out;
}

std::string RtcpFb::serialize() const {
  std::string out = payload_type ? std::to_string(*payload_type) : std::string("*");
  out += ' ';
  out += type;
  if (!parameter.empty()) {
    out += ' ';
    out += parameter;
  }
  return out;
}

}  // namespace conclave::sdp
