// KeyPackage (RFC 9420 section 10): a client's signed offer to be added to
// groups (protocol version, cipher suite, HPKE init key, its LeafNode with
// the key_package source). The signature covers KeyPackageTBS, i.e. every
// field but the signature (encode_key_package_tbs). Its KeyPackageRef is
// RefHash over the bare encoding of this struct (not the MLSMessage).
#pragma once

#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/extension.h"
#include "conclave/mls/leaf_node.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

// struct {
//     ProtocolVersion version;
//     CipherSuite cipher_suite;
//     HPKEPublicKey init_key;
//     LeafNode leaf_node;
//     Extension extensions<V>;
//     /* SignWithLabel(., "KeyPackageTBS", KeyPackageTBS) */
//     opaque signature<V>;
// } KeyPackage;
struct KeyPackage {
  // Its tag as an arm of MLSMessage.
  static constexpr WireFormat kType = WireFormat::mls_key_package;

  ProtocolVersion version = ProtocolVersion::mls10;
  CipherSuiteId cipher_suite = CipherSuiteId::reserved;
  HPKEPublicKey init_key;
  LeafNode leaf_node;
  std::vector<Extension> extensions;
  Bytes signature;
  CV_TLS_FIELDS(version, cipher_suite, init_key, leaf_node, extensions, signature)
  bool operator==(const KeyPackage&) const = default;
};

// struct {
//     ProtocolVersion version;
//     CipherSuite cipher_suite;
//     HPKEPublicKey init_key;
//     LeafNode leaf_node;
//     Extension extensions<V>;
// } KeyPackageTBS;
Bytes encode_key_package_tbs(const KeyPackage& key_package);

// Wire encodings (instantiated in key_package.cpp).
Bytes encode(const KeyPackage& key_package);
Result<KeyPackage> decode_key_package(BytesView data);

}  // namespace conclave::mls
