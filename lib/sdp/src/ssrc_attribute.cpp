#include "conclave/sdp/ssrc_attribute.h"

#include "syntax.h"

namespace conclave::sdp {

Result<SsrcAttribute> SsrcAttribute::parse(std::string_view value) {
  value = detail::trim(value);
  const size_t sp = value.find_first_of(" \t");
  if (sp == std::string_view::npos) return Error(Errc::invalid_ssrc, "attribute");
  SsrcAttribute out;
  auto ssrc = detail::parse_uint<uint32_t>(value.substr(0, sp));
  if (!ssrc) return Error(Errc::invalid_ssrc, "ssrc-id");
  out.ssrc = *ssrc;
  const std::string_view rest = detail::trim(value.substr(sp));
  const size_t colon = rest.find(':');
  const std::string_view name = rest.substr(0, colon);
  if (!detail::is_token(name)) return Error(Errc::invalid_ssrc, "attribute");
  out.attribute = std::string(name);
  if (colon != std::string_view::npos) {
    const std::string_view v = rest.substr(colon + 1);
    if (!detail::is_byte_string(v)) return Error(Errc::invalid_ssrc, "value");
    out.value = std::string(v);
  }
  return out;
}

std::string SsrcAttribute::serialize() const {
  std::string out = std::to_string(ssrc) + " " + attribute;
  if (!value.empty()) {
    out += ':';
    out += value;
  }
  return out;
}

}  // namespace conclave::sdp
