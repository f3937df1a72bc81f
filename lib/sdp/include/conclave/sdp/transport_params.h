// The transport half of a description: ICE credentials, the DTLS
// fingerprint and role, and candidates (RFC 8839, RFC 8122, RFC 8842).
// With BUNDLE every m= section shares one transport, so a description has
// one TransportParams, read from its BUNDLE-tagged m= section.
#pragma once

#include <string>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/sdp/candidate.h"
#include "conclave/sdp/errc.h"
#include "conclave/sdp/fingerprint.h"
#include "conclave/sdp/media_description.h"
#include "conclave/sdp/session_description.h"
#include "conclave/sdp/setup.h"

namespace conclave::sdp {

struct TransportParams {
  std::string ice_ufrag;  // 4..256 ice-chars
  std::string ice_pwd;    // 22..256 ice-chars
  bool ice_lite = false;
  std::string fingerprint_algorithm = std::string(Fingerprint::kSha256);
  std::string fingerprint;  // the certificate's SHA-256 as "AB:CD:..." (32 bytes)
  Setup setup = Setup::actpass;
  std::vector<Candidate> candidates;

  // The transport of media section m of d: a=ice-ufrag, a=ice-pwd,
  // a=fingerprint (the first sha-256 one) and a=setup from m, else from
  // the session level; a=ice-lite from the session level; candidates from
  // m. The algorithm comes back in lower case, the digest in upper case.
  // Errors: missing_ice_credentials, missing_fingerprint,
  // unsupported_fingerprint (only other hash functions),
  // unacceptable_setup (no a=setup), and the syntax errors of the
  // attributes for a description parse() did not check.
  static Result<TransportParams> from_description(const SessionDescription& d,
                                                  const MediaDescription& m);

  // What a description built from these params needs: valid ICE
  // credentials (invalid_ice), a sha-256 fingerprint of 32 bytes
  // (unsupported_fingerprint, invalid_fingerprint) and candidates that
  // serialize to valid a=candidate lines (invalid_candidate).
  Status validate() const;

  // Appends a=ice-ufrag, a=ice-pwd, a=fingerprint, a=setup, every
  // a=candidate and, when there is a candidate, a=end-of-candidates.
  // (a=ice-lite is session-level: the builders write it.)
  void add_to(MediaDescription& m) const;

  bool operator==(const TransportParams&) const = default;
};

}  // namespace conclave::sdp
