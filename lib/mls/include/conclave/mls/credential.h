// Credential (RFC 9420 section 5.3): the identity a member presents with
// its signature key.
//
// The credential_type selects the body: basic carries an application-
// defined identity, x509 a chain of DER certificates (end-entity first).
// Other credential types have no wire layout known to us, and section 13.5
// says an unsupported value in Credential.credential_type "will cause the
// enclosing message to be rejected" (which is why GREASE values must not be
// sent there). Decoding therefore rejects them as codec unknown_variant;
// unknown credential types are only tolerated inside capability lists
// (Capabilities.credentials, RequiredCapabilities.credential_types), where
// they are plain uint16 values.
#pragma once

#include <variant>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

// struct {
//     opaque cert_data<V>;
// } Certificate;
struct Certificate {
  Bytes cert_data;
  CV_TLS_FIELDS(cert_data)
  bool operator==(const Certificate&) const = default;
};

// case basic: opaque identity<V>;
struct BasicCredential {
  static constexpr CredentialType kType = CredentialType::basic;
  Bytes identity;
  CV_TLS_FIELDS(identity)
  bool operator==(const BasicCredential&) const = default;
};

// case x509: Certificate certificates<V>;
struct X509Credential {
  static constexpr CredentialType kType = CredentialType::x509;
  std::vector<Certificate> certificates;
  CV_TLS_FIELDS(certificates)
  bool operator==(const X509Credential&) const = default;
};

// struct {
//     CredentialType credential_type;
//     select (Credential.credential_type) {
//         case basic:
//             opaque identity<V>;
//
//         case x509:
//             Certificate certificates<V>;
//     };
// } Credential;
struct Credential {
  std::variant<BasicCredential, X509Credential> content;
  CV_TLS_FIELDS(content)
  bool operator==(const Credential&) const = default;

  CredentialType credential_type() const { return codec::variant_tag(content); }

  static Credential basic(Bytes identity) { return {BasicCredential{std::move(identity)}}; }
};

}  // namespace conclave::mls
