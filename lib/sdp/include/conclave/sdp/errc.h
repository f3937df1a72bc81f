// Errors of the SDP layer. Parsing (session_description.h, the typed
// attributes) and negotiation (negotiation.h) return one of these; every
// value names one reason a hostile, broken or unacceptable description was
// refused. Error::detail() names the line, attribute or rule.
#pragma once

#include <string_view>

namespace conclave::sdp {

enum class Errc {
  // Syntax (SessionDescription::parse and the typed attribute parsers).
  too_large = 1,        // the description is longer than SessionDescription::kMaxSize
  line_too_long,        // a line is longer than SessionDescription::kMaxLineLength
  too_many_media,       // more m= sections than SessionDescription::kMaxMedia
  too_many_attributes,  // more a= lines in one section than kMaxAttributes
  too_many_values,      // too many formats, b= or t= lines, or fields in one line
  invalid_line,         // not "<letter>=<value>", an empty line or a NUL/CR byte
  unknown_line_type,    // a type letter SDP does not define
  misplaced_line,       // a line type where RFC 8866's order forbids it
  duplicate_line,       // a line that may appear once per section appears twice
  missing_line,         // v=, o=, s= or t= absent
  invalid_version,      // v= is not 0
  invalid_origin,       // malformed o=
  invalid_connection,   // malformed c=
  invalid_bandwidth,    // malformed b=
  invalid_timing,       // malformed t=
  invalid_media_line,   // malformed m=
  invalid_attribute,    // malformed a= name or value, or a value on a flag attribute
  duplicate_attribute,  // an attribute that may appear once per section appears twice
  invalid_rtpmap,       // malformed a=rtpmap
  invalid_fmtp,         // malformed a=fmtp
  invalid_rtcp_fb,      // malformed a=rtcp-fb
  invalid_extmap,       // malformed a=extmap (ID outside 1-255, bad direction or URI)
  invalid_ssrc,         // malformed a=ssrc
  invalid_ssrc_group,   // malformed a=ssrc-group
  invalid_fingerprint,  // malformed a=fingerprint, or a digest of the wrong length
  invalid_setup,        // a=setup value not actpass/active/passive/holdconn
  invalid_ice,          // malformed a=ice-ufrag, a=ice-pwd or a=ice-options
  invalid_candidate,    // malformed a=candidate (RFC 8839 grammar)
  invalid_group,        // malformed a=group
  invalid_msid,         // malformed a=msid
  invalid_mid,          // malformed a=mid
  duplicate_mid,        // two m= sections with the same a=mid
  // Negotiation (negotiation.h).
  missing_mid,                    // an m= section without a=mid
  missing_bundle,                 // no a=group:BUNDLE (or an answer bundling nothing)
  missing_rtcp_mux,               // an RTP m= section without a=rtcp-mux
  missing_ice_credentials,        // no a=ice-ufrag / a=ice-pwd
  missing_fingerprint,            // no a=fingerprint
  unsupported_fingerprint,        // fingerprints, but none with sha-256
  unacceptable_setup,             // a=setup absent or a DTLS role Conclave cannot take
  missing_dependency_descriptor,  // a video m= section without the dependency descriptor
  conflicting_extmap,             // one extension ID bound to two URIs (or the reverse)
  duplicate_ssrc,                 // one SSRC announced by two m= sections
  no_acceptable_media,            // every m= section had to be rejected
  answer_mismatch,                // an answer that does not fit its offer
  invalid_direction,              // a direction the offer/answer rules forbid
};

std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

}  // namespace conclave::sdp
