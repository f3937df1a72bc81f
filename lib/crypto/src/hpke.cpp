// HPKE (RFC 9180) over the provider's DH, HKDF and AEAD. Section numbers
// below refer to RFC 9180.
#include "conclave/crypto/hpke.h"

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>
#include <utility>

namespace conclave::crypto {

std::string_view error_domain(HpkeErrc) {
  return "hpke";
}

std::string_view error_message(HpkeErrc e) {
  switch (e) {
    case HpkeErrc::unsupported_suite:
      return "unsupported HPKE suite";
    case HpkeErrc::invalid_mode_inputs:
      return "inputs do not fit the HPKE mode";
    case HpkeErrc::key_group_mismatch:
      return "key belongs to another KEM group";
    case HpkeErrc::deserialize_failed:
      return "malformed encapsulated key or key encoding";
    case HpkeErrc::dh_failed:
      return "Diffie-Hellman with the peer key failed";
    case HpkeErrc::derive_key_pair_failed:
      return "DeriveKeyPair found no valid key";
    case HpkeErrc::open_failed:
      return "HPKE open failed";
    case HpkeErrc::message_limit_reached:
      return "HPKE sequence number exhausted";
    case HpkeErrc::export_only:
      return "context is export-only";
    case HpkeErrc::wrong_role:
      return "seal needs a sender context, open a receiver context";
    case HpkeErrc::invalid_length:
      return "requested length too large";
  }
  return "unknown hpke error";
}

namespace {

constexpr std::string_view kVersionLabel = "HPKE-v1";
// All three AEADs use 12-byte nonces; export-only has none.
constexpr size_t kMaxNonceSize = 12;
constexpr size_t kMinPskSize = 32;

// Orders of the NIST curves' base points (section 7.1.3), big-endian, Nsk
// bytes each.
constexpr std::array<uint8_t, 32> kOrderP256 = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
constexpr std::array<uint8_t, 48> kOrderP384 = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
    0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73};
constexpr std::array<uint8_t, 66> kOrderP521 = {
    0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xfa, 0x51, 0x86, 0x87, 0x83, 0xbf, 0x2f, 0x96, 0x6b,
    0x7f, 0xcc, 0x01, 0x48, 0xf7, 0x09, 0xa5, 0xd0, 0x3b, 0xb5, 0xc9, 0xb8, 0x89, 0x9c,
    0x47, 0xae, 0xbb, 0x6f, 0xb7, 0x1e, 0x91, 0x38, 0x64, 0x09};

bool is_x_group(DhGroup g) {
  return g == DhGroup::x25519 || g == DhGroup::x448;
}

std::optional<std::pair<DhGroup, HashId>> kem_params(KemId kem) {
  switch (kem) {
    case KemId::dhkem_p256_sha256:
      return std::pair{DhGroup::p256, HashId::sha256};
    case KemId::dhkem_p384_sha384:
      return std::pair{DhGroup::p384, HashId::sha384};
    case KemId::dhkem_p521_sha512:
      return std::pair{DhGroup::p521, HashId::sha512};
    case KemId::dhkem_x25519_sha256:
      return std::pair{DhGroup::x25519, HashId::sha256};
    case KemId::dhkem_x448_sha512:
      return std::pair{DhGroup::x448, HashId::sha512};
  }
  return std::nullopt;
}

std::optional<HashId> kdf_hash(KdfId kdf) {
  switch (kdf) {
    case KdfId::hkdf_sha256:
      return HashId::sha256;
    case KdfId::hkdf_sha384:
      return HashId::sha384;
    case KdfId::hkdf_sha512:
      return HashId::sha512;
  }
  return std::nullopt;
}

bool is_known_aead(HpkeAeadId id) {
  switch (id) {
    case HpkeAeadId::aes_128_gcm:
    case HpkeAeadId::aes_256_gcm:
    case HpkeAeadId::chacha20_poly1305:
    case HpkeAeadId::export_only:
      return true;
  }
  return false;
}

// The cipher of an HPKE AEAD id; none for export-only.
std::optional<AeadId> cipher_of(HpkeAeadId id) {
  if (id == HpkeAeadId::export_only) return std::nullopt;
  return static_cast<AeadId>(static_cast<uint16_t>(id));
}

BytesView curve_order(DhGroup g) {
  switch (g) {
    case DhGroup::p256:
      return kOrderP256;
    case DhGroup::p384:
      return kOrderP384;
    default:
      return kOrderP521;
  }
}

// 1 <= scalar < order for big-endian byte strings of equal length. Walks
// every byte, with no early exit on the secret.
bool scalar_in_range(BytesView scalar, BytesView order) {
  unsigned nonzero = 0;
  unsigned less = 0;
  unsigned decided = 0;
  for (size_t i = 0; i < scalar.size(); ++i) {
    const unsigned a = scalar[i];
    const unsigned b = order[i];
    nonzero |= a;
    const unsigned lt = ((a - b) >> 8) & 1U;
    const unsigned gt = ((b - a) >> 8) & 1U;
    less |= lt & ~decided & 1U;
    decided |= lt | gt;
  }
  return nonzero != 0 && less != 0;
}

// Appends byte strings into a pre-sized secret buffer.
class SecretWriter {
 public:
  explicit SecretWriter(size_t size) : out_(size) {}
  SecretWriter& put(BytesView part) {
    std::copy(part.begin(), part.end(), out_.mutable_view().subspan(pos_).begin());
    pos_ += part.size();
    return *this;
  }
  SecretBytes take() {
    CV_CHECK(pos_ == out_.size());
    return std::move(out_);
  }

 private:
  SecretBytes out_;
  size_t pos_ = 0;
};

// LabeledExtract(salt, label, ikm) (section 4):
//   Extract(salt, "HPKE-v1" || suite_id || label || ikm)
SecretBytes labeled_extract(HashId hash, BytesView suite_id, BytesView salt, std::string_view label,
                            BytesView ikm) {
  SecretWriter labeled_ikm(kVersionLabel.size() + suite_id.size() + label.size() + ikm.size());
  labeled_ikm.put(as_bytes(kVersionLabel)).put(suite_id).put(as_bytes(label)).put(ikm);
  return hkdf_extract(hash, salt, labeled_ikm.take().view());
}

// LabeledExpand(prk, label, info, L) (section 4):
//   Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info, L)
Result<SecretBytes> labeled_expand(HashId hash, BytesView suite_id, BytesView prk,
                                   std::string_view label, BytesView info, size_t length) {
  if (length > 255 * hash_size(hash)) return Error(HpkeErrc::invalid_length, label);
  if (length == 0) return SecretBytes();
  const Bytes labeled_info =
      concat({be_bytes(length, 2), as_bytes(kVersionLabel), suite_id, as_bytes(label), info});
  return hkdf_expand(hash, prk, labeled_info, length);
}

Result<SecretBytes> checked_dh(const DhPrivateKey& sk, const DhPublicKey& pk) {
  auto out = dh(sk, pk);
  if (!out.ok()) {
    if (out.error().is(Errc::backend_failure)) return out.error();
    return Error(HpkeErrc::dh_failed, "DH");
  }
  return out;
}

// VerifyPSKInputs (section 5.1): psk and psk_id are both present or both
// absent, and present exactly in the psk modes; a psk has >= 32 bytes.
Status verify_psk_inputs(HpkeMode mode, BytesView psk, BytesView psk_id) {
  const bool known = mode == HpkeMode::base || mode == HpkeMode::psk || mode == HpkeMode::auth ||
                     mode == HpkeMode::auth_psk;
  if (!known) return Error(HpkeErrc::invalid_mode_inputs, "unknown mode");
  const bool got_psk = !psk.empty();
  const bool got_psk_id = !psk_id.empty();
  if (got_psk != got_psk_id) return Error(HpkeErrc::invalid_mode_inputs, "inconsistent psk inputs");
  const bool psk_mode = mode == HpkeMode::psk || mode == HpkeMode::auth_psk;
  if (got_psk && !psk_mode) {
    return Error(HpkeErrc::invalid_mode_inputs, "psk input provided when not needed");
  }
  if (!got_psk && psk_mode) return Error(HpkeErrc::invalid_mode_inputs, "missing required psk");
  // "The PSK MUST have at least 32 bytes of entropy" (section 5.1.2):
  // shorter ones cannot, so they are refused.
  if (got_psk && psk.size() < kMinPskSize) {
    return Error(HpkeErrc::invalid_mode_inputs, "psk shorter than 32 bytes");
  }
  return ok_status();
}

// VerifyPSKInputs, plus: a static sender key is given exactly in the auth
// modes.
Status verify_mode_inputs(HpkeMode mode, BytesView psk, BytesView psk_id, bool has_static_key) {
  CV_TRY_STATUS(verify_psk_inputs(mode, psk, psk_id));
  const bool auth_mode = mode == HpkeMode::auth || mode == HpkeMode::auth_psk;
  if (has_static_key && !auth_mode) {
    return Error(HpkeErrc::invalid_mode_inputs, "sender key provided when not needed");
  }
  if (!has_static_key && auth_mode) {
    return Error(HpkeErrc::invalid_mode_inputs, "missing required sender key");
  }
  return ok_status();
}

}  // namespace

// ---------------------------------------------------------------- Hpke ---

Hpke::Hpke(HpkeSuite suite) : suite_(suite) {
  const auto kem = kem_params(suite.kem);
  CV_CHECK(kem.has_value());
  group_ = kem->first;
  kem_hash_ = kem->second;
  kdf_hash_ = *kdf_hash(suite.kdf);
  const auto kem_id = static_cast<uint16_t>(suite.kem);
  kem_suite_id_ = concat({as_bytes("KEM"), be_bytes(kem_id, 2)});
  hpke_suite_id_ =
      concat({as_bytes("HPKE"), be_bytes(kem_id, 2), be_bytes(static_cast<uint16_t>(suite.kdf), 2),
              be_bytes(static_cast<uint16_t>(suite.aead), 2)});
}

Result<Hpke> Hpke::create(HpkeSuite suite) {
  if (!kem_params(suite.kem)) return Error(HpkeErrc::unsupported_suite, "kem_id");
  if (!kdf_hash(suite.kdf)) return Error(HpkeErrc::unsupported_suite, "kdf_id");
  if (!is_known_aead(suite.aead)) return Error(HpkeErrc::unsupported_suite, "aead_id");
  return Hpke(suite);
}

size_t Hpke::enc_size() const {
  return dh_public_key_size(group_);
}
size_t Hpke::public_key_size() const {
  return dh_public_key_size(group_);
}
size_t Hpke::private_key_size() const {
  return dh_private_key_size(group_);
}

Result<DhPrivateKey> Hpke::generate_key_pair() const {
  return dh_generate(group_);
}

// DeriveKeyPair (section 7.1.3): rejection sampling of a scalar for the
// NIST curves, a plain expansion for X25519 and X448.
Result<DhPrivateKey> Hpke::derive_key_pair(BytesView ikm) const {
  const SecretBytes dkp_prk = labeled_extract(kem_hash_, kem_suite_id_, {}, "dkp_prk", ikm);
  const size_t nsk = dh_private_key_size(group_);
  if (is_x_group(group_)) {
    CV_TRY(SecretBytes sk, labeled_expand(kem_hash_, kem_suite_id_, dkp_prk.view(), "sk", {}, nsk));
    return dh_private_key_from_bytes(group_, sk.view());
  }
  const BytesView order = curve_order(group_);
  CV_CHECK(order.size() == nsk);
  const uint8_t bitmask = group_ == DhGroup::p521 ? 0x01 : 0xff;
  for (unsigned counter = 0; counter <= 255; ++counter) {
    const std::array<uint8_t, 1> counter_byte = {static_cast<uint8_t>(counter)};
    CV_TRY(SecretBytes candidate, labeled_expand(kem_hash_, kem_suite_id_, dkp_prk.view(),
                                                 "candidate", counter_byte, nsk));
    candidate.data()[0] &= bitmask;
    if (scalar_in_range(candidate.view(), order)) {
      return dh_private_key_from_bytes(group_, candidate.view());
    }
  }
  return Error(HpkeErrc::derive_key_pair_failed);
}

Result<DhPublicKey> Hpke::deserialize_public_key(BytesView pk) const {
  if (pk.size() != dh_public_key_size(group_)) {
    return Error(HpkeErrc::deserialize_failed, "public key size");
  }
  auto key = dh_public_key_from_bytes(group_, pk);
  if (!key.ok()) return Error(HpkeErrc::deserialize_failed, "public key");
  return key;
}

Result<DhPrivateKey> Hpke::deserialize_private_key(BytesView sk) const {
  if (sk.size() != dh_private_key_size(group_)) {
    return Error(HpkeErrc::deserialize_failed, "private key size");
  }
  auto key = dh_private_key_from_bytes(group_, sk);
  if (!key.ok()) return Error(HpkeErrc::deserialize_failed, "private key");
  return key;
}

// Encap / AuthEncap (section 4.1):
//   dh = DH(skE, pkR) [|| DH(skS, pkR)]
//   kem_context = enc || pkRm [|| pkSm]
//   shared_secret = ExtractAndExpand(dh, kem_context)
Result<HpkeEncapsulation> Hpke::encap_with(const DhPublicKey& pk_r,
                                           const std::optional<DhPrivateKey>& sk_s,
                                           const DhPrivateKey& sk_e) const {
  if (pk_r.group() != group_) return Error(HpkeErrc::key_group_mismatch, "pkR");
  if (sk_e.group() != group_) return Error(HpkeErrc::key_group_mismatch, "skE");
  if (sk_s && sk_s->group() != group_) return Error(HpkeErrc::key_group_mismatch, "skS");

  CV_TRY(SecretBytes dh_e, checked_dh(sk_e, pk_r));
  SecretBytes dh_s;
  if (sk_s) {
    CV_TRY(dh_s, checked_dh(*sk_s, pk_r));
  }
  SecretWriter dh_all(dh_e.size() + dh_s.size());
  dh_all.put(dh_e.view()).put(dh_s.view());

  HpkeEncapsulation out;
  out.enc = sk_e.public_key().bytes();
  const Bytes kem_context =
      concat({out.enc, pk_r.bytes(), sk_s ? BytesView(sk_s->public_key().bytes()) : BytesView()});
  // ExtractAndExpand (section 4.1).
  const SecretBytes eae_prk =
      labeled_extract(kem_hash_, kem_suite_id_, {}, "eae_prk", dh_all.take().view());
  CV_TRY(out.shared_secret, labeled_expand(kem_hash_, kem_suite_id_, eae_prk.view(),
                                           "shared_secret", kem_context, hash_size(kem_hash_)));
  return out;
}

Result<HpkeEncapsulation> Hpke::encap(const DhPublicKey& pk_r,
                                      const std::optional<DhPrivateKey>& sk_s) const {
  CV_TRY(DhPrivateKey sk_e, generate_key_pair());
  return encap_with(pk_r, sk_s, sk_e);
}

Result<HpkeEncapsulation> Hpke::encap_for_testing(const DhPublicKey& pk_r,
                                                  const std::optional<DhPrivateKey>& sk_s,
                                                  const DhPrivateKey& sk_e) const {
  return encap_with(pk_r, sk_s, sk_e);
}

// Decap / AuthDecap (section 4.1).
Result<SecretBytes> Hpke::decap(BytesView enc, const DhPrivateKey& sk_r,
                                const std::optional<DhPublicKey>& pk_s) const {
  if (sk_r.group() != group_) return Error(HpkeErrc::key_group_mismatch, "skR");
  if (pk_s && pk_s->group() != group_) return Error(HpkeErrc::key_group_mismatch, "pkS");
  if (enc.size() != enc_size()) return Error(HpkeErrc::deserialize_failed, "enc size");
  auto pk_e = dh_public_key_from_bytes(group_, enc);
  if (!pk_e.ok()) return Error(HpkeErrc::deserialize_failed, "enc");

  CV_TRY(SecretBytes dh_e, checked_dh(sk_r, *pk_e));
  SecretBytes dh_s;
  if (pk_s) {
    CV_TRY(dh_s, checked_dh(sk_r, *pk_s));
  }
  SecretWriter dh_all(dh_e.size() + dh_s.size());
  dh_all.put(dh_e.view()).put(dh_s.view());

  const Bytes kem_context =
      concat({enc, sk_r.public_key().bytes(), pk_s ? BytesView(pk_s->bytes()) : BytesView()});
  const SecretBytes eae_prk =
      labeled_extract(kem_hash_, kem_suite_id_, {}, "eae_prk", dh_all.take().view());
  return labeled_expand(kem_hash_, kem_suite_id_, eae_prk.view(), "shared_secret", kem_context,
                        hash_size(kem_hash_));
}

// KeySchedule<ROLE> (section 5.1), up to the values a context holds.
Result<HpkeKeySchedule> Hpke::key_schedule(HpkeMode mode, const SecretBytes& shared_secret,
                                           BytesView info, BytesView psk, BytesView psk_id) const {
  // The static key was used (or not) by the KEM; here the psk inputs matter.
  CV_TRY_STATUS(verify_psk_inputs(mode, psk, psk_id));

  const SecretBytes psk_id_hash =
      labeled_extract(kdf_hash_, hpke_suite_id_, {}, "psk_id_hash", psk_id);
  const SecretBytes info_hash = labeled_extract(kdf_hash_, hpke_suite_id_, {}, "info_hash", info);

  HpkeKeySchedule ks;
  const std::array<uint8_t, 1> mode_byte = {static_cast<uint8_t>(mode)};
  ks.key_schedule_context = concat({mode_byte, psk_id_hash.view(), info_hash.view()});
  ks.secret = labeled_extract(kdf_hash_, hpke_suite_id_, shared_secret.view(), "secret", psk);

  const auto cipher = cipher_of(suite_.aead);
  const size_t nk = cipher ? aead_key_size(*cipher) : 0;
  const size_t nn = cipher ? aead_nonce_size(*cipher) : 0;
  CV_TRY(ks.key, labeled_expand(kdf_hash_, hpke_suite_id_, ks.secret.view(), "key",
                                ks.key_schedule_context, nk));
  CV_TRY(SecretBytes base_nonce, labeled_expand(kdf_hash_, hpke_suite_id_, ks.secret.view(),
                                                "base_nonce", ks.key_schedule_context, nn));
  ks.base_nonce = base_nonce.reveal_copy();
  CV_TRY(ks.exporter_secret, labeled_expand(kdf_hash_, hpke_suite_id_, ks.secret.view(), "exp",
                                            ks.key_schedule_context, hash_size(kdf_hash_)));
  return ks;
}

Result<HpkeContext> Hpke::make_context(HpkeContext::Role role, HpkeKeySchedule ks) const {
  std::optional<Aead> aead;
  if (const auto cipher = cipher_of(suite_.aead)) {
    CV_CHECK(ks.base_nonce.size() == aead_nonce_size(*cipher));
    CV_CHECK(ks.base_nonce.size() <= kMaxNonceSize);
    CV_TRY(Aead keyed, Aead::create(*cipher, ks.key.view()));
    aead.emplace(std::move(keyed));
  }
  return HpkeContext(role, kdf_hash_, hpke_suite_id_, std::move(aead), std::move(ks.base_nonce),
                     std::move(ks.exporter_secret));
}

Result<HpkeSenderSetup> Hpke::setup_sender_with(const DhPublicKey& pk_r, BytesView info,
                                                const HpkeSenderMode& mode,
                                                const DhPrivateKey& sk_e) const {
  CV_TRY_STATUS(verify_mode_inputs(mode.mode, mode.psk, mode.psk_id, mode.sk_s.has_value()));
  CV_TRY(HpkeEncapsulation encapsulation, encap_with(pk_r, mode.sk_s, sk_e));
  CV_TRY(HpkeKeySchedule ks,
         key_schedule(mode.mode, encapsulation.shared_secret, info, mode.psk, mode.psk_id));
  CV_TRY(HpkeContext context, make_context(HpkeContext::Role::sender, std::move(ks)));
  return HpkeSenderSetup{std::move(encapsulation.enc), std::move(context)};
}

Result<HpkeSenderSetup> Hpke::setup_sender(const DhPublicKey& pk_r, BytesView info,
                                           const HpkeSenderMode& mode) const {
  // Reject bad inputs before spending a key generation on them.
  CV_TRY_STATUS(verify_mode_inputs(mode.mode, mode.psk, mode.psk_id, mode.sk_s.has_value()));
  CV_TRY(DhPrivateKey sk_e, generate_key_pair());
  return setup_sender_with(pk_r, info, mode, sk_e);
}

Result<HpkeSenderSetup> Hpke::setup_sender_for_testing(const DhPublicKey& pk_r, BytesView info,
                                                       const HpkeSenderMode& mode,
                                                       const DhPrivateKey& sk_e) const {
  return setup_sender_with(pk_r, info, mode, sk_e);
}

Result<HpkeContext> Hpke::setup_receiver(BytesView enc, const DhPrivateKey& sk_r, BytesView info,
                                         const HpkeReceiverMode& mode) const {
  CV_TRY_STATUS(verify_mode_inputs(mode.mode, mode.psk, mode.psk_id, mode.pk_s.has_value()));
  CV_TRY(SecretBytes shared_secret, decap(enc, sk_r, mode.pk_s));
  CV_TRY(HpkeKeySchedule ks, key_schedule(mode.mode, shared_secret, info, mode.psk, mode.psk_id));
  return make_context(HpkeContext::Role::receiver, std::move(ks));
}

Result<HpkeSealed> Hpke::seal(const DhPublicKey& pk_r, BytesView info, BytesView aad, BytesView pt,
                              const HpkeSenderMode& mode) const {
  CV_TRY(HpkeSenderSetup setup, setup_sender(pk_r, info, mode));
  CV_TRY(Bytes ct, setup.context.seal(aad, pt));
  return HpkeSealed{std::move(setup.enc), std::move(ct)};
}

Result<Bytes> Hpke::open(BytesView enc, const DhPrivateKey& sk_r, BytesView info, BytesView aad,
                         BytesView ct, const HpkeReceiverMode& mode) const {
  CV_TRY(HpkeContext context, setup_receiver(enc, sk_r, info, mode));
  return context.open(aad, ct);
}

// --------------------------------------------------------- HpkeContext ---

HpkeContext::HpkeContext(Role role, HashId kdf_hash, Bytes suite_id, std::optional<Aead> aead,
                         Bytes base_nonce, SecretBytes exporter_secret)
    : role_(role),
      kdf_hash_(kdf_hash),
      suite_id_(std::move(suite_id)),
      aead_(std::move(aead)),
      base_nonce_(std::move(base_nonce)),
      exporter_secret_(std::move(exporter_secret)) {}

HpkeContext::HpkeContext(HpkeContext&&) noexcept = default;
HpkeContext& HpkeContext::operator=(HpkeContext&&) noexcept = default;
HpkeContext::~HpkeContext() = default;

namespace {

// ComputeNonce (section 5.2): base_nonce XOR I2OSP(seq, Nn).
std::array<uint8_t, kMaxNonceSize> compute_nonce(BytesView base_nonce, uint64_t seq) {
  std::array<uint8_t, kMaxNonceSize> nonce{};
  std::copy(base_nonce.begin(), base_nonce.end(), nonce.begin());
  const size_t n = base_nonce.size();
  for (size_t i = 0; i < sizeof(seq) && i < n; ++i) {
    nonce[n - 1 - i] ^= static_cast<uint8_t>(seq >> (8 * i));
  }
  return nonce;
}

// The sequence number is a uint64_t, so it runs out at 2^64 - 1, long
// before the RFC's 2^96 - 1 for 12-byte nonces.
constexpr uint64_t kMaxSequence = std::numeric_limits<uint64_t>::max();

}  // namespace

Result<Bytes> HpkeContext::seal(BytesView aad, BytesView pt) {
  if (!aead_) return Error(HpkeErrc::export_only, "seal");
  if (role_ != Role::sender) return Error(HpkeErrc::wrong_role, "seal");
  if (seq_ == kMaxSequence) return Error(HpkeErrc::message_limit_reached);
  const auto nonce = compute_nonce(base_nonce_, seq_);
  CV_TRY(Bytes ct, aead_->seal(BytesView(nonce).first(base_nonce_.size()), aad, pt));
  ++seq_;
  return ct;
}

Result<Bytes> HpkeContext::open(BytesView aad, BytesView ct) {
  if (!aead_) return Error(HpkeErrc::export_only, "open");
  if (role_ != Role::receiver) return Error(HpkeErrc::wrong_role, "open");
  if (seq_ == kMaxSequence) return Error(HpkeErrc::message_limit_reached);
  const auto nonce = compute_nonce(base_nonce_, seq_);
  auto pt = aead_->open(BytesView(nonce).first(base_nonce_.size()), aad, ct);
  if (!pt.ok()) {
    if (pt.error().is(Errc::backend_failure)) return pt.error();
    return Error(HpkeErrc::open_failed);
  }
  ++seq_;
  return pt;
}

// Export (section 5.3): LabeledExpand(exporter_secret, "sec",
// exporter_context, L).
Result<SecretBytes> HpkeContext::export_secret(BytesView exporter_context, size_t length) const {
  return labeled_expand(kdf_hash_, suite_id_, exporter_secret_.view(), "sec", exporter_context,
                        length);
}

}  // namespace conclave::crypto
