// Fingerprint: the SHA-256 digest of a certificate's DER encoding, the way
// WebRTC and browsers show it: 32 bytes as uppercase hex pairs joined by
// colons ("AB:CD:..."). Clients pin the server's self-signed certificate by
// it. parse() also accepts lowercase and plain hex without colons, and an
// optional "sha256:" or "sha-256 " prefix.
#pragma once

#include <string>
#include <string_view>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/net/errc.h"

namespace conclave::net {

class Fingerprint {
 public:
  static constexpr size_t kSize = 32;

  static Result<Fingerprint> parse(std::string_view text);
  static Fingerprint of_der(BytesView certificate_der);
  static Result<Fingerprint> of_certificate_pem(std::string_view pem);
  // From exactly 32 digest bytes.
  static Result<Fingerprint> from_bytes(BytesView digest);

  BytesView bytes() const { return digest_; }
  std::string str() const;

  friend bool operator==(const Fingerprint&, const Fingerprint&) = default;

 private:
  explicit Fingerprint(Bytes digest) : digest_(std::move(digest)) {}
  Bytes digest_;
};

}  // namespace conclave::net
