// a=fingerprint (RFC 8122 section 5): the hash of the DTLS certificate.
//   a=fingerprint:sha-256 1F:E2:...:9A      (32 bytes for sha-256)
// The hash function name is compared case-insensitively; Conclave uses
// sha-256 only. The digest is kept as text, in the form written.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

struct Fingerprint {
  static constexpr std::string_view kName = "fingerprint";
  static constexpr std::string_view kSha256 = "sha-256";
  static constexpr size_t kMaxDigestSize = 64;

  std::string algorithm;  // a token: "sha-256", "sha-1", ...
  std::string value;      // "AB:CD:..." (2 hex digits per byte, ':'-separated)

  // Errors: invalid_fingerprint (syntax, more than kMaxDigestSize bytes, or
  // a digest whose length does not fit a known hash function).
  static Result<Fingerprint> parse(std::string_view value);
  std::string serialize() const;

  // "AB:CD:..." in upper case, for a digest of 1..kMaxDigestSize bytes.
  static std::string format_digest(BytesView digest);
  // The digest bytes (parse checked the syntax; a hand-built value may fail
  // with invalid_fingerprint).
  Result<Bytes> digest() const;
  // The digest length of a known hash function (sha-1 .. sha-512), or 0.
  static size_t digest_size(std::string_view algorithm);

  bool operator==(const Fingerprint&) const = default;
};

}  // namespace conclave::sdp
