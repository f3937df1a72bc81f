// HPKE: hybrid public-key encryption (RFC 9180), all four modes, on top of
// the provider's DH, HKDF and AEAD. Backend-neutral: nothing here touches
// OpenSSL directly.
//
//   sender                                          receiver
//   ------                                          --------
//   Hpke::create(suite)                             Hpke::create(suite)
//   setup_sender(pkR, info, mode)                   setup_receiver(enc, skR, info, mode)
//     Encap/AuthEncap -> enc, shared_secret           Decap/AuthDecap(enc) -> shared_secret
//     KeySchedule -> HpkeContext (sender)             KeySchedule -> HpkeContext (receiver)
//   ctx.seal(aad, pt) -> ct   ------- enc, ct ---->  ctx.open(aad, ct) -> pt
//   ctx.export_secret(c, L)   ==================     ctx.export_secret(c, L)
//
// The mode is chosen by HpkeSenderMode / HpkeReceiverMode: base (default),
// psk (a pre-shared key and its id), auth (the sender's static key) or
// auth_psk (both). Inputs that do not fit the mode are rejected, as RFC 9180
// VerifyPSKInputs says, and so is a psk shorter than 32 bytes (section 5.1.2
// asks for 32 bytes of entropy). `seal` / `open` on Hpke are the single-shot
// forms (section 6); MLS's EncryptWithLabel is `seal(pk, context, {}, pt)`
// in base mode, and its node keys come from `derive_key_pair`.
//
// Suites: DHKEM(P-256, P-384, P-521, X25519, X448) x HKDF-SHA256/384/512 x
// AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305 or export-only.
//
// Errors are HpkeErrc values (domain "hpke"). Failures of the provider on
// the caller's own keys or inside the backend (backend_failure) pass through
// as crypto::Errc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/crypto/aead.h"
#include "conclave/crypto/dh.h"
#include "conclave/crypto/hash.h"

namespace conclave::crypto {

// Code points (RFC 9180 section 7).
enum class KemId : uint16_t {
  dhkem_p256_sha256 = 0x0010,
  dhkem_p384_sha384 = 0x0011,
  dhkem_p521_sha512 = 0x0012,
  dhkem_x25519_sha256 = 0x0020,
  dhkem_x448_sha512 = 0x0021,
};

enum class KdfId : uint16_t {
  hkdf_sha256 = 0x0001,
  hkdf_sha384 = 0x0002,
  hkdf_sha512 = 0x0003,
};

// The first three are crypto::AeadId's values; export_only has no cipher.
enum class HpkeAeadId : uint16_t {
  aes_128_gcm = 0x0001,
  aes_256_gcm = 0x0002,
  chacha20_poly1305 = 0x0003,
  export_only = 0xFFFF,
};

enum class HpkeMode : uint8_t {
  base = 0x00,
  psk = 0x01,
  auth = 0x02,
  auth_psk = 0x03,
};

enum class HpkeErrc {
  unsupported_suite = 1,   // KEM, KDF or AEAD code point not implemented
  invalid_mode_inputs,     // psk / psk_id / sender key do not fit the mode
  key_group_mismatch,      // a key of another DH group than the suite's KEM
  deserialize_failed,      // enc or key bytes of the wrong size or off-curve
  dh_failed,               // a DH with the peer's key failed (ValidationError)
  derive_key_pair_failed,  // DeriveKeyPair found no valid scalar
  open_failed,             // AEAD authentication failed (OpenError)
  message_limit_reached,   // the sequence number is exhausted
  export_only,             // seal/open on an export-only context
  wrong_role,              // seal on a receiver context, open on a sender's
  invalid_length,          // export length > 255 * Nh
};
std::string_view error_domain(HpkeErrc);
std::string_view error_message(HpkeErrc e);

struct HpkeSuite {
  KemId kem;
  KdfId kdf;
  HpkeAeadId aead;
  friend bool operator==(const HpkeSuite&, const HpkeSuite&) = default;
};

// The mode and its extra inputs, sender side. The views must outlive the
// setup call only.
struct HpkeSenderMode {
  HpkeMode mode = HpkeMode::base;
  BytesView psk;                     // psk and auth_psk modes, else empty
  BytesView psk_id;                  // likewise
  std::optional<DhPrivateKey> sk_s;  // auth and auth_psk modes, else absent

  static HpkeSenderMode base() { return {}; }
  static HpkeSenderMode with_psk(BytesView key, BytesView key_id) {
    return {HpkeMode::psk, key, key_id, std::nullopt};
  }
  static HpkeSenderMode auth(DhPrivateKey sender_key) {
    return {HpkeMode::auth, {}, {}, std::move(sender_key)};
  }
  static HpkeSenderMode auth_psk(BytesView key, BytesView key_id, DhPrivateKey sender_key) {
    return {HpkeMode::auth_psk, key, key_id, std::move(sender_key)};
  }
};

// The mode and its extra inputs, receiver side: the sender's public key in
// the auth modes.
struct HpkeReceiverMode {
  HpkeMode mode = HpkeMode::base;
  BytesView psk;
  BytesView psk_id;
  std::optional<DhPublicKey> pk_s;

  static HpkeReceiverMode base() { return {}; }
  static HpkeReceiverMode with_psk(BytesView key, BytesView key_id) {
    return {HpkeMode::psk, key, key_id, std::nullopt};
  }
  static HpkeReceiverMode auth(DhPublicKey sender_key) {
    return {HpkeMode::auth, {}, {}, std::move(sender_key)};
  }
  static HpkeReceiverMode auth_psk(BytesView key, BytesView key_id, DhPublicKey sender_key) {
    return {HpkeMode::auth_psk, key, key_id, std::move(sender_key)};
  }
};

// The encryption context of one side (section 5.2). The sender's context
// only seals, the receiver's only opens; both export. Each seal or open
// uses nonce = base_nonce XOR seq and then increments seq; an open that
// fails leaves seq unchanged. Move-only: it holds the keyed AEAD.
class HpkeContext {
 public:
  enum class Role : uint8_t { sender, receiver };

  HpkeContext(HpkeContext&&) noexcept;
  HpkeContext& operator=(HpkeContext&&) noexcept;
  ~HpkeContext();

  Role role() const { return role_; }
  bool is_export_only() const { return !aead_.has_value(); }
  // The sequence number of the next seal or open.
  uint64_t sequence_number() const { return seq_; }

  // ct = ciphertext || tag.
  Result<Bytes> seal(BytesView aad, BytesView pt);
  Result<Bytes> open(BytesView aad, BytesView ct);
  // Export(exporter_context, L) (section 5.3); L <= 255 * Nh.
  Result<SecretBytes> export_secret(BytesView exporter_context, size_t length) const;

  // FOR TESTS ONLY: jumps to a sequence number, to reach the message limit
  // (2^64 - 1 messages; the 96-bit RFC counter is never reached first).
  void set_sequence_number_for_testing(uint64_t seq) { seq_ = seq; }

 private:
  friend class Hpke;
  HpkeContext(Role role, HashId kdf_hash, Bytes suite_id, std::optional<Aead> aead,
              Bytes base_nonce, SecretBytes exporter_secret);

  Role role_;
  HashId kdf_hash_;
  Bytes suite_id_;
  std::optional<Aead> aead_;  // absent for export-only
  Bytes base_nonce_;
  SecretBytes exporter_secret_;
  uint64_t seq_ = 0;
};

// SetupS's result: the encapsulated key to send, and the sender's context.
struct HpkeSenderSetup {
  Bytes enc;
  HpkeContext context;
};

// The single-shot Seal's result (section 6.1).
struct HpkeSealed {
  Bytes enc;
  Bytes ct;
};

// Encap's result (section 4.1).
struct HpkeEncapsulation {
  Bytes enc;
  SecretBytes shared_secret;
};

// KeySchedule's intermediate values (section 5.1). Setup turns them into a
// context; they are exposed for the vector checks.
struct HpkeKeySchedule {
  Bytes key_schedule_context;  // mode || psk_id_hash || info_hash
  SecretBytes secret;
  SecretBytes key;   // Nk bytes; empty for export-only
  Bytes base_nonce;  // Nn bytes; empty for export-only
  SecretBytes exporter_secret;
};

// One HPKE cipher suite. Cheap to copy; all methods are const.
class Hpke {
 public:
  // Fails with unsupported_suite on an unknown code point.
  static Result<Hpke> create(HpkeSuite suite);

  const HpkeSuite& suite() const { return suite_; }
  DhGroup group() const { return group_; }
  size_t enc_size() const;          // Nenc = Npk
  size_t public_key_size() const;   // Npk
  size_t private_key_size() const;  // Nsk

  // Keys of the suite's KEM group. DeriveKeyPair (section 7.1.3) is
  // deterministic in ikm.
  Result<DhPrivateKey> generate_key_pair() const;
  Result<DhPrivateKey> derive_key_pair(BytesView ikm) const;
  Result<DhPublicKey> deserialize_public_key(BytesView pk) const;
  Result<DhPrivateKey> deserialize_private_key(BytesView sk) const;

  // SetupBaseS / SetupPSKS / SetupAuthS / SetupAuthPSKS, by `mode`, with a
  // fresh ephemeral key.
  Result<HpkeSenderSetup> setup_sender(const DhPublicKey& pk_r, BytesView info,
                                       const HpkeSenderMode& mode = {}) const;
  // SetupBaseR / SetupPSKR / SetupAuthR / SetupAuthPSKR.
  Result<HpkeContext> setup_receiver(BytesView enc, const DhPrivateKey& sk_r, BytesView info,
                                     const HpkeReceiverMode& mode = {}) const;

  // Single-shot Seal / Open (section 6.1), base mode by default.
  Result<HpkeSealed> seal(const DhPublicKey& pk_r, BytesView info, BytesView aad, BytesView pt,
                          const HpkeSenderMode& mode = {}) const;
  Result<Bytes> open(BytesView enc, const DhPrivateKey& sk_r, BytesView info, BytesView aad,
                     BytesView ct, const HpkeReceiverMode& mode = {}) const;

  // The steps setup is made of. encap is AuthEncap when sk_s is given,
  // decap is AuthDecap when pk_s is given.
  Result<HpkeEncapsulation> encap(const DhPublicKey& pk_r,
                                  const std::optional<DhPrivateKey>& sk_s = std::nullopt) const;
  Result<SecretBytes> decap(BytesView enc, const DhPrivateKey& sk_r,
                            const std::optional<DhPublicKey>& pk_s = std::nullopt) const;
  // Checks the psk inputs against the mode (VerifyPSKInputs) and derives.
  Result<HpkeKeySchedule> key_schedule(HpkeMode mode, const SecretBytes& shared_secret,
                                       BytesView info, BytesView psk, BytesView psk_id) const;

  // FOR TESTS ONLY (known-answer vectors): the same as encap / setup_sender
  // but with the ephemeral key sk_e fixed by the caller. Reusing an
  // ephemeral key breaks HPKE's security; production code must not call
  // these.
  Result<HpkeEncapsulation> encap_for_testing(const DhPublicKey& pk_r,
                                              const std::optional<DhPrivateKey>& sk_s,
                                              const DhPrivateKey& sk_e) const;
  Result<HpkeSenderSetup> setup_sender_for_testing(const DhPublicKey& pk_r, BytesView info,
                                                   const HpkeSenderMode& mode,
                                                   const DhPrivateKey& sk_e) const;

 private:
  explicit Hpke(HpkeSuite suite);

  // Encap and SetupS with the ephemeral key given.
  Result<HpkeEncapsulation> encap_with(const DhPublicKey& pk_r,
                                       const std::optional<DhPrivateKey>& sk_s,
                                       const DhPrivateKey& sk_e) const;
  Result<HpkeSenderSetup> setup_sender_with(const DhPublicKey& pk_r, BytesView info,
                                            const HpkeSenderMode& mode,
                                            const DhPrivateKey& sk_e) const;
  Result<HpkeContext> make_context(HpkeContext::Role role, HpkeKeySchedule ks) const;

  HpkeSuite suite_;
  DhGroup group_;
  HashId kem_hash_;
  HashId kdf_hash_;
  Bytes kem_suite_id_;   // "KEM" || I2OSP(kem_id, 2)
  Bytes hpke_suite_id_;  // "HPKE" || kem_id || kdf_id || aead_id
};

}  // namespace conclave::crypto
