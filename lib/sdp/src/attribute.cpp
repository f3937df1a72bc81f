#include "conclave/sdp/attribute.h"

#include <array>

#include "conclave/sdp/candidate.h"
#include "conclave/sdp/extmap.h"
#include "conclave/sdp/fingerprint.h"
#include "conclave/sdp/fmtp.h"
#include "conclave/sdp/group.h"
#include "conclave/sdp/ice.h"
#include "conclave/sdp/mid.h"
#include "conclave/sdp/msid.h"
#include "conclave/sdp/rtcp_fb.h"
#include "conclave/sdp/rtpmap.h"
#include "conclave/sdp/setup.h"
#include "conclave/sdp/ssrc_attribute.h"
#include "conclave/sdp/ssrc_group.h"
#include "syntax.h"

namespace conclave::sdp {

namespace {

constexpr std::array<std::string_view, 10> kFlags = {
    attr::kRtcpMux,          attr::kRtcpRsize,  attr::kIceLite,  attr::kEndOfCandidates,
    attr::kExtmapAllowMixed, attr::kBundleOnly, attr::kSendrecv, attr::kSendonly,
    attr::kRecvonly,         attr::kInactive};

template <TypedAttribute T>
Status check(std::string_view value) {
  auto r = T::parse(value);
  if (!r.ok()) return r.error();
  return ok_status();
}

}  // namespace

const Attribute* find_attribute(std::span<const Attribute> attributes, std::string_view name) {
  for (const auto& a : attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

Status validate_attribute(const Attribute& a) {
  if (!detail::is_token(a.name)) return Error(Errc::invalid_attribute, "name");
  if (!a.value.empty() && !detail::is_byte_string(a.value)) {
    return Error(Errc::invalid_attribute, "value");
  }
  for (auto flag : kFlags) {
    if (a.name == flag) {
      if (!a.value.empty()) return Error(Errc::invalid_attribute, "value on a flag attribute");
      return ok_status();
    }
  }
  const std::string_view n = a.name;
  const std::string_view v = a.value;
  if (n == Rtpmap::kName) return check<Rtpmap>(v);
  if (n == Fmtp::kName) return check<Fmtp>(v);
  if (n == RtcpFb::kName) return check<RtcpFb>(v);
  if (n == Extmap::kName) return check<Extmap>(v);
  if (n == SsrcAttribute::kName) return check<SsrcAttribute>(v);
  if (n == SsrcGroup::kName) return check<SsrcGroup>(v);
  if (n == Fingerprint::kName) return check<Fingerprint>(v);
  if (n == Candidate::kName) return check<Candidate>(v);
  if (n == Group::kName) return check<Group>(v);
  if (n == Msid::kName) return check<Msid>(v);
  if (n == attr::kMid) return validate_mid(v);
  if (n == attr::kIceUfrag) return validate_ice_ufrag(v);
  if (n == attr::kIcePwd) return validate_ice_pwd(v);
  if (n == attr::kIceOptions) {
    auto r = parse_ice_options(v);
    if (!r.ok()) return r.error();
    return ok_status();
  }
  if (n == attr::kSetup) {
    auto r = parse_setup(v);
    if (!r.ok()) return r.error();
    return ok_status();
  }
  return ok_status();
}

}  // namespace conclave::sdp
