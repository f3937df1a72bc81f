#include "conclave/sdp/ice.h"

#include "syntax.h"

namespace conclave::sdp {

namespace {
constexpr size_t kMaxOptions = 16;
}  // namespace

Status validate_ice_ufrag(std::string_view ufrag) {
  if (!detail::is_ice_chars(ufrag, kMinIceUfragSize, kMaxIceCredentialSize)) {
    return Error(Errc::invalid_ice, "ice-ufrag");
  }
  return ok_status();
}

Status validate_ice_pwd(std::string_view pwd) {
  if (!detail::is_ice_chars(pwd, kMinIcePwdSize, kMaxIceCredentialSize)) {
    return Error(Errc::invalid_ice, "ice-pwd");
  }
  return ok_status();
}

Result<std::vector<std::string>> parse_ice_options(std::string_view value) {
  auto fields = detail::split_fields(value, kMaxOptions);
  if (!fields || fields->empty()) return Error(Errc::invalid_ice, "ice-options");
  std::vector<std::string> out;
  for (auto f : *fields) {
    if (!detail::is_token(f)) return Error(Errc::invalid_ice, "ice-options");
    out.emplace_back(f);
  }
  return out;
}

}  // namespace conclave::sdp
