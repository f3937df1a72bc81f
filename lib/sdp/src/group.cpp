#include "conclave/sdp/group.h"

#include <algorithm>

#include "conclave/sdp/mid.h"
#include "syntax.h"

namespace conclave::sdp {

namespace {
constexpr size_t kMaxMids = 256;
}  // namespace

Result<Group> Group::parse(std::string_view value) {
  auto fields = detail::split_fields(value, kMaxMids + 1);
  if (!fields) return Error(Errc::invalid_group, "too many mids");
  if (fields->empty() || !detail::is_token((*fields)[0])) {
    return Error(Errc::invalid_group, "semantics");
  }
  Group out;
  out.semantics = std::string((*fields)[0]);
  for (size_t i = 1; i < fields->size(); ++i) {
    if (!validate_mid((*fields)[i]).ok()) return Error(Errc::invalid_group, "mid");
    if (out.contains((*fields)[i])) return Error(Errc::invalid_group, "mid listed twice");
    out.mids.emplace_back((*fields)[i]);
  }
  return out;
}

std::string Group::serialize() const {
  std::string out = semantics;
  for (const auto& m : mids) out += " " + m;
  return out;
}

bool Group::is_bundle() const {
  return detail::iequals(semantics, kBundle);
}

bool Group::contains(std::string_view mid) const {
  return std::find(mids.begin(), mids.end(), mid) != mids.end();
}

}  // namespace conclave::sdp
