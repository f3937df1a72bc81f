#include "conclave/sdp/errc.h"

namespace conclave::sdp {

std::string_view error_domain(Errc) {
  return "sdp";
}

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::too_large:
      return "description too large";
    case Errc::line_too_long:
      return "line too long";
    case Errc::too_many_media:
      return "too many media sections";
    case Errc::too_many_attributes:
      return "too many attributes in one section";
    case Errc::too_many_values:
      return "too many values";
    case Errc::invalid_line:
      return "malformed line";
    case Errc::unknown_line_type:
      return "unknown line type";
    case Errc::misplaced_line:
      return "line out of order";
    case Errc::duplicate_line:
      return "line repeated in one section";
    case Errc::missing_line:
      return "required line missing";
    case Errc::invalid_version:
      return "protocol version is not 0";
    case Errc::invalid_origin:
      return "malformed origin (o=)";
    case Errc::invalid_connection:
      return "malformed connection data (c=)";
    case Errc::invalid_bandwidth:
      return "malformed bandwidth (b=)";
    case Errc::invalid_timing:
      return "malformed timing (t=)";
    case Errc::invalid_media_line:
      return "malformed media line (m=)";
    case Errc::invalid_attribute:
      return "malformed attribute";
    case Errc::duplicate_attribute:
      return "attribute repeated in one section";
    case Errc::invalid_rtpmap:
      return "malformed rtpmap";
    case Errc::invalid_fmtp:
      return "malformed fmtp";
    case Errc::invalid_rtcp_fb:
      return "malformed rtcp-fb";
    case Errc::invalid_extmap:
      return "malformed extmap";
    case Errc::invalid_ssrc:
      return "malformed ssrc attribute";
    case Errc::invalid_ssrc_group:
      return "malformed ssrc-group";
    case Errc::invalid_fingerprint:
      return "malformed fingerprint";
    case Errc::invalid_setup:
      return "malformed setup";
    case Errc::invalid_ice:
      return "malformed ICE attribute";
    case Errc::invalid_candidate:
      return "malformed candidate";
    case Errc::invalid_group:
      return "malformed group";
    case Errc::invalid_msid:
      return "malformed msid";
    case Errc::invalid_mid:
      return "malformed mid";
    case Errc::duplicate_mid:
      return "two media sections share a mid";
    case Errc::missing_mid:
      return "media section without mid";
    case Errc::missing_bundle:
      return "BUNDLE group missing";
    case Errc::missing_rtcp_mux:
      return "rtcp-mux missing";
    case Errc::missing_ice_credentials:
      return "ICE ufrag or password missing";
    case Errc::missing_fingerprint:
      return "DTLS fingerprint missing";
    case Errc::unsupported_fingerprint:
      return "no sha-256 fingerprint";
    case Errc::unacceptable_setup:
      return "DTLS setup role not acceptable";
    case Errc::missing_dependency_descriptor:
      return "video without the dependency descriptor extension";
    case Errc::conflicting_extmap:
      return "header extension IDs conflict";
    case Errc::duplicate_ssrc:
      return "SSRC used by two media sections";
    case Errc::no_acceptable_media:
      return "no acceptable media section";
    case Errc::answer_mismatch:
      return "answer does not match the offer";
    case Errc::invalid_direction:
      return "direction not allowed by offer/answer";
  }
  return "unknown sdp error";
}

}  // namespace conclave::sdp
