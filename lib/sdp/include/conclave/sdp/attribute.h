// One "a=" line (RFC 8866 section 5.13): a name and, unless the attribute
// is a flag such as "a=rtcp-mux", a value. The description keeps every
// attribute in order, known or not; typed views (rtpmap.h, extmap.h, ...)
// parse the value on demand:
//
//   CV_TRY(auto maps, m.all<Rtpmap>());   // every a=rtpmap of a section
//   m.add(Extmap{2, std::nullopt, std::string(kMidUri), {}});
//
// A typed attribute is a struct with `static constexpr std::string_view
// kName`, `static Result<T> parse(std::string_view value)` and
// `std::string serialize() const` returning the value part.
#pragma once

#include <concepts>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

struct Attribute {
  std::string name;   // a token, e.g. "rtpmap"
  std::string value;  // the text after ':'; empty for a flag attribute

  bool operator==(const Attribute&) const = default;
};

template <class T>
concept TypedAttribute = requires(const T& t, std::string_view s) {
  { T::kName } -> std::convertible_to<std::string_view>;
  { T::parse(s) } -> std::same_as<Result<T>>;
  { t.serialize() } -> std::same_as<std::string>;
};

// Names of the attributes the library knows (RFC 8866, 8829, 8839, 8843,
// 5761, 5576, 8122, 8285, 5888, 8830, 4145).
namespace attr {
inline constexpr std::string_view kRtpmap = "rtpmap";
inline constexpr std::string_view kFmtp = "fmtp";
inline constexpr std::string_view kRtcpFb = "rtcp-fb";
inline constexpr std::string_view kExtmap = "extmap";
inline constexpr std::string_view kExtmapAllowMixed = "extmap-allow-mixed";
inline constexpr std::string_view kSsrc = "ssrc";
inline constexpr std::string_view kSsrcGroup = "ssrc-group";
inline constexpr std::string_view kFingerprint = "fingerprint";
inline constexpr std::string_view kSetup = "setup";
inline constexpr std::string_view kIceUfrag = "ice-ufrag";
inline constexpr std::string_view kIcePwd = "ice-pwd";
inline constexpr std::string_view kIceOptions = "ice-options";
inline constexpr std::string_view kIceLite = "ice-lite";
inline constexpr std::string_view kCandidate = "candidate";
inline constexpr std::string_view kEndOfCandidates = "end-of-candidates";
inline constexpr std::string_view kGroup = "group";
inline constexpr std::string_view kMsid = "msid";
inline constexpr std::string_view kMsidSemantic = "msid-semantic";
inline constexpr std::string_view kMid = "mid";
inline constexpr std::string_view kBundleOnly = "bundle-only";
inline constexpr std::string_view kRtcpMux = "rtcp-mux";
inline constexpr std::string_view kRtcpRsize = "rtcp-rsize";
inline constexpr std::string_view kSendrecv = "sendrecv";
inline constexpr std::string_view kSendonly = "sendonly";
inline constexpr std::string_view kRecvonly = "recvonly";
inline constexpr std::string_view kInactive = "inactive";
}  // namespace attr

// The first attribute called name, or nullptr.
const Attribute* find_attribute(std::span<const Attribute> attributes, std::string_view name);

// Every value of the attributes called name, parsed as T; the first
// malformed one fails the whole call with T's error.
template <TypedAttribute T>
Result<std::vector<T>> parse_all(std::span<const Attribute> attributes) {
  std::vector<T> out;
  for (const auto& a : attributes) {
    if (a.name != T::kName) continue;
    CV_TRY(auto v, T::parse(a.value));
    out.push_back(std::move(v));
  }
  return out;
}

// Checks one attribute as SessionDescription::parse does: a token name, a
// byte-string value, no value on flags, and the syntax of every typed
// attribute above. Attributes it does not know pass on syntax alone.
Status validate_attribute(const Attribute& a);

}  // namespace conclave::sdp
