// Welcome (RFC 9420 section 12.4.3.1): how a committer brings new members
// into the new epoch. The GroupInfo is encrypted once with a key from the
// joiner_secret; the GroupSecrets (joiner_secret, optional path secret, the
// PSKs in use) are HPKE-encrypted to each new member's init key, found by
// the KeyPackageRef of its KeyPackage.
//
// The secrets are SecretBytes: wiped on destruction, compared in constant
// time.
#pragma once

#include <optional>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/psk.h"
#include "conclave/mls/types.h"
#include "conclave/mls/update_path.h"

namespace conclave::mls {

// struct {
//   opaque path_secret<V>;
// } PathSecret;
struct PathSecret {
  SecretBytes path_secret;
  CV_TLS_FIELDS(path_secret)
  bool operator==(const PathSecret&) const = default;
};

// struct {
//   opaque joiner_secret<V>;
//   optional<PathSecret> path_secret;
//   PreSharedKeyID psks<V>;
// } GroupSecrets;
struct GroupSecrets {
  SecretBytes joiner_secret;
  std::optional<PathSecret> path_secret;
  std::vector<PreSharedKeyID> psks;
  CV_TLS_FIELDS(joiner_secret, path_secret, psks)
  bool operator==(const GroupSecrets&) const = default;
};

// struct {
//   KeyPackageRef new_member;
//   HPKECiphertext encrypted_group_secrets;
// } EncryptedGroupSecrets;
struct EncryptedGroupSecrets {
  KeyPackageRef new_member;
  HPKECiphertext encrypted_group_secrets;
  CV_TLS_FIELDS(new_member, encrypted_group_secrets)
  bool operator==(const EncryptedGroupSecrets&) const = default;
};

// struct {
//   CipherSuite cipher_suite;
//   EncryptedGroupSecrets secrets<V>;
//   opaque encrypted_group_info<V>;
// } Welcome;
struct Welcome {
  // Its tag as an arm of MLSMessage.
  static constexpr WireFormat kType = WireFormat::mls_welcome;

  CipherSuiteId cipher_suite = CipherSuiteId::reserved;
  std::vector<EncryptedGroupSecrets> secrets;
  Bytes encrypted_group_info;
  CV_TLS_FIELDS(cipher_suite, secrets, encrypted_group_info)
  bool operator==(const Welcome&) const = default;
};

// Wire encodings (instantiated in welcome.cpp). GroupSecrets are secret:
// the encoding is returned as SecretBytes.
Bytes encode(const Welcome& welcome);
SecretBytes encode(const GroupSecrets& group_secrets);
Result<Welcome> decode_welcome(BytesView data);
Result<GroupSecrets> decode_group_secrets(BytesView data);

}  // namespace conclave::mls
