#include "conclave/sdp/fmtp.h"

#include "syntax.h"

namespace conclave::sdp {

Result<Fmtp> Fmtp::parse(std::string_view value) {
  value = detail::trim(value);
  const size_t sp = value.find_first_of(" \t");
  if (sp == std::string_view::npos) return Error(Errc::invalid_fmtp, "parameters");
  const std::string_view format = value.substr(0, sp);
  const std::string_view params = detail::trim(value.substr(sp));
  if (!detail::is_token(format)) return Error(Errc::invalid_fmtp, "format");
  if (!detail::is_byte_string(params)) return Error(Errc::invalid_fmtp, "parameters");
  return Fmtp{std::string(format), std::string(params)};
}

std::string Fmtp::serialize() const {
  return format + " " + parameters;
}

std::optional<uint8_t> Fmtp::payload_type() const {
  return detail::parse_payload_type(format);
}

std::optional<std::string_view> Fmtp::parameter(std::string_view name) const {
  std::string_view rest = parameters;
  while (!rest.empty()) {
    const size_t semi = rest.find(';');
    const std::string_view item = detail::trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    if (detail::iequals(detail::trim(item.substr(0, eq)), name)) {
      return detail::trim(item.substr(eq + 1));
    }
  }
  return std::nullopt;
}

}  // namespace conclave::sdp
