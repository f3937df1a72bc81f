#include "conclave/sdp/ssrc_group.h"

#include "syntax.h"

namespace conclave::sdp {

Result<SsrcGroup> SsrcGroup::parse(std::string_view value) {
  auto fields = detail::split_fields(value, kMaxSsrcs + 1);
  if (!fields) return Error(Errc::invalid_ssrc_group, "too many ssrcs");
  if (fields->size() < 2) return Error(Errc::invalid_ssrc_group, "fields");
  if (!detail::is_token((*fields)[0])) return Error(Errc::invalid_ssrc_group, "semantics");
  SsrcGroup out;
  out.semantics = std::string((*fields)[0]);
  for (size_t i = 1; i < fields->size(); ++i) {
    auto ssrc = detail::parse_uint<uint32_t>((*fields)[i]);
    if (!ssrc) return Error(Errc::invalid_ssrc_group, "ssrc-id");
    out.ssrcs.push_back(*ssrc);
  }
  return out;
}

std::string SsrcGroup::serialize() const {
  std::string out = semantics;
  for (uint32_t s : ssrcs) out += " " + std::to_string(s);
  return out;
}

}  // namespace conclave::sdp
