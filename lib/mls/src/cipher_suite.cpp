#include "conclave/mls/cipher_suite.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "conclave/codec/writer.h"

namespace conclave::mls {

namespace {

constexpr std::string_view kLabelPrefix = "MLS 1.0 ";

struct SuiteInfo {
  CipherSuiteId id;
  crypto::HashId hash;
  crypto::AeadId aead;
  crypto::SignatureScheme scheme;
  crypto::HpkeSuite hpke;
};

using crypto::AeadId;
using crypto::HashId;
using crypto::HpkeAeadId;
using crypto::KdfId;
using crypto::KemId;
using crypto::SignatureScheme;

constexpr SuiteInfo kSuites[] = {
    {CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519,
     HashId::sha256,
     AeadId::aes_128_gcm,
     SignatureScheme::ed25519,
     {KemId::dhkem_x25519_sha256, KdfId::hkdf_sha256, HpkeAeadId::aes_128_gcm}},
    {CipherSuiteId::mls_128_dhkemp256_aes128gcm_sha256_p256,
     HashId::sha256,
     AeadId::aes_128_gcm,
     SignatureScheme::ecdsa_secp256r1_sha256,
     {KemId::dhkem_p256_sha256, KdfId::hkdf_sha256, HpkeAeadId::aes_128_gcm}},
    {CipherSuiteId::mls_128_dhkemx25519_chacha20poly1305_sha256_ed25519,
     HashId::sha256,
     AeadId::chacha20_poly1305,
     SignatureScheme::ed25519,
     {KemId::dhkem_x25519_sha256, KdfId::hkdf_sha256, HpkeAeadId::chacha20_poly1305}},
    {CipherSuiteId::mls_256_dhkemx448_aes256gcm_sha512_ed448,
     HashId::sha512,
     AeadId::aes_256_gcm,
     SignatureScheme::ed448,
     {KemId::dhkem_x448_sha512, KdfId::hkdf_sha512, HpkeAeadId::aes_256_gcm}},
    {CipherSuiteId::mls_256_dhkemp521_aes256gcm_sha512_p521,
     HashId::sha512,
     AeadId::aes_256_gcm,
     SignatureScheme::ecdsa_secp521r1_sha512,
     {KemId::dhkem_p521_sha512, KdfId::hkdf_sha512, HpkeAeadId::aes_256_gcm}},
    {CipherSuiteId::mls_256_dhkemx448_chacha20poly1305_sha512_ed448,
     HashId::sha512,
     AeadId::chacha20_poly1305,
     SignatureScheme::ed448,
     {KemId::dhkem_x448_sha512, KdfId::hkdf_sha512, HpkeAeadId::chacha20_poly1305}},
    {CipherSuiteId::mls_256_dhkemp384_aes256gcm_sha384_p384,
     HashId::sha384,
     AeadId::aes_256_gcm,
     SignatureScheme::ecdsa_secp384r1_sha384,
     {KemId::dhkem_p384_sha384, KdfId::hkdf_sha384, HpkeAeadId::aes_256_gcm}},
};

const SuiteInfo* find_suite(CipherSuiteId id) {
  for (const auto& s : kSuites) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

// opaque label<V> = "MLS 1.0 " + label, without building the string.
void write_mls_label(codec::Writer& w, std::string_view label) {
  w.write_varint(kLabelPrefix.size() + label.size());
  w.write_bytes(as_bytes(kLabelPrefix));
  w.write_bytes(as_bytes(label));
}

// struct { opaque label<V>; opaque content<V>; } with the MLS label:
// SignContent and EncryptContext have this layout.
Bytes labelled_pair(std::string_view label, BytesView content) {
  codec::Writer w;
  w.reserve(kLabelPrefix.size() + label.size() + content.size() + 8);
  write_mls_label(w, label);
  w.write_opaque(content);
  return w.take();
}

bool is_nist(crypto::DhGroup g) {
  return g == crypto::DhGroup::p256 || g == crypto::DhGroup::p384 || g == crypto::DhGroup::p521;
}

}  // namespace

bool CipherSuite::is_supported(CipherSuiteId id) {
  return find_suite(id) != nullptr;
}

Result<CipherSuite> CipherSuite::create(CipherSuiteId id) {
  const SuiteInfo* info = find_suite(id);
  if (info == nullptr) return Errc::unsupported_cipher_suite;
  CV_TRY(crypto::Hpke hpke, crypto::Hpke::create(info->hpke));
  return CipherSuite(id, info->hash, info->aead, info->scheme, std::move(hpke));
}

CipherSuite::CipherSuite(CipherSuiteId id, crypto::HashId hash, crypto::AeadId aead,
                         crypto::SignatureScheme scheme, crypto::Hpke hpke)
    : id_(id),
      hash_(hash),
      aead_(aead),
      scheme_(scheme),
      hpke_(std::move(hpke)),
      nh_(crypto::hash_size(hash)),
      nk_(crypto::aead_key_size(aead)),
      nn_(crypto::aead_nonce_size(aead)) {}

Bytes CipherSuite::hash(BytesView data) const {
  return crypto::hash(hash_, data);
}

Bytes CipherSuite::mac(BytesView key, BytesView data) const {
  return crypto::hmac(hash_, key, data);
}

Status CipherSuite::verify_mac(BytesView key, BytesView data, BytesView tag) const {
  const Bytes want = mac(key, data);
  if (!constant_time_equal(want, tag)) return Errc::mac_mismatch;
  return {};
}

SecretBytes CipherSuite::extract(BytesView salt, BytesView ikm) const {
  return crypto::hkdf_extract(hash_, salt, ikm);
}

Result<SecretBytes> CipherSuite::expand(BytesView prk, BytesView info, size_t length) const {
  if (length > 255 * nh_) return Error(Errc::invalid_length, "KDF.Expand length > 255 * Nh");
  return crypto::hkdf_expand(hash_, prk, info, length);
}

Bytes CipherSuite::ref_hash(std::string_view label, BytesView value) const {
  // struct { opaque label<V>; opaque value<V>; } RefHashInput;
  codec::Writer w;
  w.reserve(label.size() + value.size() + 8);
  w.write_opaque(as_bytes(label));
  w.write_opaque(value);
  return hash(w.view());
}

KeyPackageRef CipherSuite::make_key_package_ref(BytesView key_package) const {
  return ref_hash("MLS 1.0 KeyPackage Reference", key_package);
}

ProposalRef CipherSuite::make_proposal_ref(BytesView authenticated_content) const {
  return ref_hash("MLS 1.0 Proposal Reference", authenticated_content);
}

Result<SecretBytes> CipherSuite::expand_with_label(BytesView secret, std::string_view label,
                                                   BytesView context, size_t length) const {
  if (length > std::numeric_limits<uint16_t>::max()) {
    return Error(Errc::invalid_length, "ExpandWithLabel length > 65535");
  }
  // struct { uint16 length; opaque label<V>; opaque context<V>; } KDFLabel;
  codec::Writer w;
  w.reserve(2 + kLabelPrefix.size() + label.size() + context.size() + 8);
  w.write_u16(static_cast<uint16_t>(length));
  write_mls_label(w, label);
  w.write_opaque(context);
  return expand(secret, w.view(), length);
}

Result<SecretBytes> CipherSuite::derive_secret(BytesView secret, std::string_view label) const {
  return expand_with_label(secret, label, {}, nh_);
}

Result<SecretBytes> CipherSuite::derive_tree_secret(BytesView secret, std::string_view label,
                                                    uint32_t generation, size_t length) const {
  uint8_t context[4];
  put_be(context, generation);
  return expand_with_label(secret, label, context, length);
}

Result<Bytes> CipherSuite::sign_with_label(const crypto::SignaturePrivateKey& key,
                                           std::string_view label, BytesView content) const {
  if (key.scheme() != scheme_) return Error(Errc::key_mismatch, "signature key scheme");
  return crypto::sign(key, labelled_pair(label, content));
}

Status CipherSuite::verify_with_label(const crypto::SignaturePublicKey& key, std::string_view label,
                                      BytesView content, BytesView signature) const {
  if (key.scheme() != scheme_) return Error(Errc::key_mismatch, "signature key scheme");
  return crypto::verify(key, labelled_pair(label, content), signature);
}

Status CipherSuite::verify_with_label(BytesView public_key, std::string_view label,
                                      BytesView content, BytesView signature) const {
  CV_TRY(const crypto::SignaturePublicKey key, import_signature_public_key(public_key));
  return verify_with_label(key, label, content, signature);
}

Result<crypto::HpkeSealed> CipherSuite::encrypt_with_label(const crypto::DhPublicKey& public_key,
                                                           std::string_view label,
                                                           BytesView context,
                                                           BytesView plaintext) const {
  if (public_key.group() != hpke_.group()) return Error(Errc::key_mismatch, "HPKE key group");
  return hpke_.seal(public_key, labelled_pair(label, context), {}, plaintext);
}

Result<crypto::HpkeSealed> CipherSuite::encrypt_with_label(BytesView public_key,
                                                           std::string_view label,
                                                           BytesView context,
                                                           BytesView plaintext) const {
  CV_TRY(const crypto::DhPublicKey key, import_hpke_public_key(public_key));
  return encrypt_with_label(key, label, context, plaintext);
}

Result<Bytes> CipherSuite::decrypt_with_label(const crypto::DhPrivateKey& private_key,
                                              std::string_view label, BytesView context,
                                              BytesView kem_output, BytesView ciphertext) const {
  if (private_key.group() != hpke_.group()) return Error(Errc::key_mismatch, "HPKE key group");
  return hpke_.open(kem_output, private_key, labelled_pair(label, context), {}, ciphertext);
}

Result<crypto::SignaturePrivateKey> CipherSuite::generate_signature_key() const {
  return crypto::signature_generate(scheme_);
}

Result<crypto::SignaturePrivateKey> CipherSuite::import_signature_private_key(
    BytesView data) const {
  return crypto::signature_private_key_from_bytes(scheme_, data);
}

Result<crypto::SignaturePublicKey> CipherSuite::import_signature_public_key(BytesView data) const {
  return crypto::signature_public_key_from_bytes(scheme_, data);
}

Result<crypto::DhPrivateKey> CipherSuite::generate_hpke_key_pair() const {
  return hpke_.generate_key_pair();
}

Result<crypto::DhPrivateKey> CipherSuite::derive_hpke_key_pair(BytesView ikm) const {
  return hpke_.derive_key_pair(ikm);
}

Result<crypto::DhPrivateKey> CipherSuite::import_hpke_private_key(BytesView data) const {
  const size_t nsk = hpke_.private_key_size();
  if (is_nist(hpke_.group()) && !data.empty() && data.size() < nsk) {
    SecretBytes padded(nsk);
    std::copy(data.begin(), data.end(), padded.data() + (nsk - data.size()));
    return hpke_.deserialize_private_key(padded.view());
  }
  return hpke_.deserialize_private_key(data);
}

Result<crypto::DhPublicKey> CipherSuite::import_hpke_public_key(BytesView data) const {
  return hpke_.deserialize_public_key(data);
}

}  // namespace conclave::mls
