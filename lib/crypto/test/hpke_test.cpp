#include "conclave/crypto/hpke.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "conclave/base/encoding.h"

// The RFC 9180 known-answer vectors are checked in lib/vectors
// (hpke_test_vectors_test.cpp); these tests cover what they do not: every
// suite including DHKEM(P-384) and HKDF-SHA384, the failure paths, and the
// API's own rules (roles, export-only, message limit, mode inputs).

namespace conclave::crypto {
namespace {

Bytes h(std::string_view hex) {
  auto r = from_hex(hex);
  EXPECT_TRUE(r.ok()) << hex;
  return r.ok() ? *r : Bytes();
}

const KemId kKems[] = {KemId::dhkem_p256_sha256, KemId::dhkem_p384_sha384, KemId::dhkem_p521_sha512,
                       KemId::dhkem_x25519_sha256, KemId::dhkem_x448_sha512};
const KdfId kKdfs[] = {KdfId::hkdf_sha256, KdfId::hkdf_sha384, KdfId::hkdf_sha512};
const HpkeAeadId kAeads[] = {HpkeAeadId::aes_128_gcm, HpkeAeadId::aes_256_gcm,
                             HpkeAeadId::chacha20_poly1305, HpkeAeadId::export_only};
const HpkeMode kModes[] = {HpkeMode::base, HpkeMode::psk, HpkeMode::auth, HpkeMode::auth_psk};

std::string kem_name(KemId k) {
  switch (k) {
    case KemId::dhkem_p256_sha256:
      return "P256";
    case KemId::dhkem_p384_sha384:
      return "P384";
    case KemId::dhkem_p521_sha512:
      return "P521";
    case KemId::dhkem_x25519_sha256:
      return "X25519";
    case KemId::dhkem_x448_sha512:
      return "X448";
  }
  return "unknown";
}

std::string kdf_name(KdfId k) {
  switch (k) {
    case KdfId::hkdf_sha256:
      return "Sha256";
    case KdfId::hkdf_sha384:
      return "Sha384";
    case KdfId::hkdf_sha512:
      return "Sha512";
  }
  return "unknown";
}

std::string aead_name(HpkeAeadId a) {
  switch (a) {
    case HpkeAeadId::aes_128_gcm:
      return "Aes128Gcm";
    case HpkeAeadId::aes_256_gcm:
      return "Aes256Gcm";
    case HpkeAeadId::chacha20_poly1305:
      return "ChaCha20Poly1305";
    case HpkeAeadId::export_only:
      return "ExportOnly";
  }
  return "unknown";
}

std::string mode_name(HpkeMode m) {
  switch (m) {
    case HpkeMode::base:
      return "Base";
    case HpkeMode::psk:
      return "Psk";
    case HpkeMode::auth:
      return "Auth";
    case HpkeMode::auth_psk:
      return "AuthPsk";
  }
  return "unknown";
}

bool is_psk_mode(HpkeMode m) {
  return m == HpkeMode::psk || m == HpkeMode::auth_psk;
}
bool is_auth_mode(HpkeMode m) {
  return m == HpkeMode::auth || m == HpkeMode::auth_psk;
}

Hpke make(HpkeSuite suite) {
  auto hpke = Hpke::create(suite);
  EXPECT_TRUE(hpke.ok());
  return std::move(hpke).value();
}

DhPrivateKey generate(const Hpke& hpke) {
  auto key = hpke.generate_key_pair();
  EXPECT_TRUE(key.ok());
  return std::move(key).value();
}

// Everything both sides need for one mode: the recipient's key pair, the
// sender's static key pair and a PSK.
struct Parties {
  explicit Parties(const Hpke& hpke, HpkeMode m)
      : mode(m), sk_r(generate(hpke)), sk_s(generate(hpke)) {}

  HpkeSenderMode sender() const {
    return {mode, is_psk_mode(mode) ? BytesView(psk) : BytesView(),
            is_psk_mode(mode) ? BytesView(psk_id) : BytesView(),
            is_auth_mode(mode) ? std::optional(sk_s) : std::nullopt};
  }
  HpkeReceiverMode receiver() const {
    return {mode, is_psk_mode(mode) ? BytesView(psk) : BytesView(),
            is_psk_mode(mode) ? BytesView(psk_id) : BytesView(),
            is_auth_mode(mode) ? std::optional(sk_s.public_key()) : std::nullopt};
  }

  HpkeMode mode;
  DhPrivateKey sk_r;
  DhPrivateKey sk_s;
  Bytes psk = h("0247fd33b913760fa1fa51e1892d9f307fbe65eb171e8132c2af18555a738b82");
  Bytes psk_id = to_bytes("Ennyn Durin aran Moria");
  Bytes info = to_bytes("Ode on a Grecian Urn");
};

// ---------------------------------------------------------------------------
// Round trips: every KEM x KDF x AEAD x mode.

using SuiteMode = std::tuple<KemId, KdfId, HpkeAeadId, HpkeMode>;

class HpkeRoundTrip : public ::testing::TestWithParam<SuiteMode> {
 protected:
  HpkeSuite suite() const {
    return {std::get<0>(GetParam()), std::get<1>(GetParam()), std::get<2>(GetParam())};
  }
  HpkeMode mode() const { return std::get<3>(GetParam()); }
};

TEST_P(HpkeRoundTrip, SealOpenAndExport) {
  const Hpke hpke = make(suite());
  const Parties p(hpke, mode());

  auto sender = hpke.setup_sender(p.sk_r.public_key(), p.info, p.sender());
  ASSERT_TRUE(sender.ok()) << sender.error().to_string();
  EXPECT_EQ(sender->enc.size(), hpke.enc_size());
  auto receiver = hpke.setup_receiver(sender->enc, p.sk_r, p.info, p.receiver());
  ASSERT_TRUE(receiver.ok()) << receiver.error().to_string();

  const bool export_only = suite().aead == HpkeAeadId::export_only;
  EXPECT_EQ(sender->context.is_export_only(), export_only);
  EXPECT_EQ(receiver->is_export_only(), export_only);
  if (!export_only) {
    const std::vector<Bytes> messages = {Bytes(), to_bytes("beauty is truth"), Bytes(1000, 0x5a)};
    for (size_t i = 0; i < messages.size(); ++i) {
      const Bytes aad = to_bytes("Count-" + std::to_string(i));
      auto ct = sender->context.seal(aad, messages[i]);
      ASSERT_TRUE(ct.ok()) << ct.error().to_string();
      EXPECT_EQ(ct->size(), messages[i].size() + 16);
      auto pt = receiver->open(aad, *ct);
      ASSERT_TRUE(pt.ok()) << i << ": " << pt.error().to_string();
      EXPECT_EQ(*pt, messages[i]);
    }
    EXPECT_EQ(sender->context.sequence_number(), messages.size());
    EXPECT_EQ(receiver->sequence_number(), messages.size());
  }

  for (const Bytes& exporter_context : {Bytes(), to_bytes("TestContext")}) {
    auto a = sender->context.export_secret(exporter_context, 32);
    auto b = receiver->export_secret(exporter_context, 32);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->size(), 32U);
    EXPECT_EQ(*a, *b);
  }
}

TEST_P(HpkeRoundTrip, SingleShot) {
  const Hpke hpke = make(suite());
  const Parties p(hpke, mode());
  const Bytes aad = to_bytes("aad");
  const Bytes pt = to_bytes("a thing of beauty is a joy for ever");

  auto sealed = hpke.seal(p.sk_r.public_key(), p.info, aad, pt, p.sender());
  if (suite().aead == HpkeAeadId::export_only) {
    ASSERT_FALSE(sealed.ok());
    EXPECT_TRUE(sealed.error().is(HpkeErrc::export_only));
    return;
  }
  ASSERT_TRUE(sealed.ok()) << sealed.error().to_string();
  auto opened = hpke.open(sealed->enc, p.sk_r, p.info, aad, sealed->ct, p.receiver());
  ASSERT_TRUE(opened.ok()) << opened.error().to_string();
  EXPECT_EQ(*opened, pt);
}

std::string suite_mode_name(const ::testing::TestParamInfo<SuiteMode>& info) {
  return kem_name(std::get<0>(info.param)) + "_" + kdf_name(std::get<1>(info.param)) + "_" +
         aead_name(std::get<2>(info.param)) + "_" + mode_name(std::get<3>(info.param));
}

INSTANTIATE_TEST_SUITE_P(AllSuites, HpkeRoundTrip,
                         ::testing::Combine(::testing::ValuesIn(kKems), ::testing::ValuesIn(kKdfs),
                                            ::testing::ValuesIn(kAeads),
                                            ::testing::ValuesIn(kModes)),
                         suite_mode_name);

// ---------------------------------------------------------------------------
// Failures to open, per mode, on a spread of suites.

const HpkeSuite kNegativeSuites[] = {
    {KemId::dhkem_x25519_sha256, KdfId::hkdf_sha256, HpkeAeadId::aes_128_gcm},
    {KemId::dhkem_p256_sha256, KdfId::hkdf_sha256, HpkeAeadId::chacha20_poly1305},
    {KemId::dhkem_p384_sha384, KdfId::hkdf_sha384, HpkeAeadId::aes_256_gcm},
    {KemId::dhkem_p521_sha512, KdfId::hkdf_sha512, HpkeAeadId::aes_256_gcm},
    {KemId::dhkem_x448_sha512, KdfId::hkdf_sha512, HpkeAeadId::chacha20_poly1305},
};

using NegativeParam = std::tuple<HpkeSuite, HpkeMode>;

class HpkeNegative : public ::testing::TestWithParam<NegativeParam> {
 protected:
  HpkeNegative() : hpke_(make(std::get<0>(GetParam()))), p_(hpke_, std::get<1>(GetParam())) {}

  HpkeMode mode() const { return p_.mode; }

  // A sender context and the enc for it.
  HpkeSenderSetup sender() {
    auto s = hpke_.setup_sender(p_.sk_r.public_key(), p_.info, p_.sender());
    EXPECT_TRUE(s.ok()) << s.error().to_string();
    return std::move(s).value();
  }

  // Seals one message with a fresh sender and tries to open it with a
  // receiver set up from `receiver_mode` (and `info`, `enc` as given).
  struct Attempt {
    Bytes enc;
    Bytes ct;
  };
  Attempt seal_one() {
    auto s = sender();
    auto ct = s.context.seal(aad_, pt_);
    EXPECT_TRUE(ct.ok());
    return {s.enc, ct.ok() ? *ct : Bytes()};
  }

  // The receiver's open of `ct` fails, at setup or at open.
  void expect_rejected(BytesView enc, BytesView info, const HpkeReceiverMode& m, BytesView ct) {
    auto r = hpke_.setup_receiver(enc, p_.sk_r, info, m);
    if (!r.ok()) return;  // rejected at setup: fine
    auto pt = r->open(aad_, ct);
    ASSERT_FALSE(pt.ok());
    EXPECT_TRUE(pt.error().is(HpkeErrc::open_failed)) << pt.error().to_string();
  }

  Hpke hpke_;
  Parties p_;
  Bytes aad_ = to_bytes("associated");
  Bytes pt_ = to_bytes("plaintext message");
};

TEST_P(HpkeNegative, TamperedCiphertextFailsAndLeavesSequence) {
  auto s = sender();
  auto r = hpke_.setup_receiver(s.enc, p_.sk_r, p_.info, p_.receiver());
  ASSERT_TRUE(r.ok());
  auto ct = s.context.seal(aad_, pt_);
  ASSERT_TRUE(ct.ok());
  for (size_t pos : {size_t{0}, ct->size() / 2, ct->size() - 1}) {
    Bytes bad = *ct;
    bad[pos] ^= 0x01;
    auto pt = r->open(aad_, bad);
    ASSERT_FALSE(pt.ok()) << pos;
    EXPECT_TRUE(pt.error().is(HpkeErrc::open_failed));
    EXPECT_EQ(r->sequence_number(), 0U);
  }
  // Truncated below the tag size.
  auto short_ct = r->open(aad_, BytesView(*ct).first(10));
  EXPECT_FALSE(short_ct.ok());
  auto pt = r->open(aad_, *ct);
  ASSERT_TRUE(pt.ok());
  EXPECT_EQ(*pt, pt_);
}

TEST_P(HpkeNegative, WrongAadFails) {
  auto a = seal_one();
  auto r = hpke_.setup_receiver(a.enc, p_.sk_r, p_.info, p_.receiver());
  ASSERT_TRUE(r.ok());
  auto pt = r->open(to_bytes("other"), a.ct);
  ASSERT_FALSE(pt.ok());
  EXPECT_TRUE(pt.error().is(HpkeErrc::open_failed));
}

TEST_P(HpkeNegative, WrongInfoFails) {
  auto a = seal_one();
  expect_rejected(a.enc, to_bytes("other info"), p_.receiver(), a.ct);
}

TEST_P(HpkeNegative, OutOfOrderFails) {
  auto s = sender();
  auto r = hpke_.setup_receiver(s.enc, p_.sk_r, p_.info, p_.receiver());
  ASSERT_TRUE(r.ok());
  auto ct0 = s.context.seal(aad_, to_bytes("first"));
  auto ct1 = s.context.seal(aad_, to_bytes("second"));
  ASSERT_TRUE(ct0.ok() && ct1.ok());
  EXPECT_FALSE(r->open(aad_, *ct1).ok());
  auto pt0 = r->open(aad_, *ct0);
  ASSERT_TRUE(pt0.ok());
  EXPECT_EQ(*pt0, to_bytes("first"));
  EXPECT_FALSE(r->open(aad_, *ct0).ok());  // a replay of message 0
  auto pt1 = r->open(aad_, *ct1);
  ASSERT_TRUE(pt1.ok());
  EXPECT_EQ(*pt1, to_bytes("second"));
}

TEST_P(HpkeNegative, SameMessageTwiceGivesDifferentCiphertexts) {
  auto s = sender();
  auto ct0 = s.context.seal(aad_, pt_);
  auto ct1 = s.context.seal(aad_, pt_);
  ASSERT_TRUE(ct0.ok() && ct1.ok());
  EXPECT_NE(*ct0, *ct1);
}

TEST_P(HpkeNegative, TamperedEncFails) {
  auto a = seal_one();
  for (size_t pos : {size_t{0}, a.enc.size() / 2, a.enc.size() - 1}) {
    Bytes bad = a.enc;
    bad[pos] ^= 0x02;
    expect_rejected(bad, p_.info, p_.receiver(), a.ct);
  }
}

TEST_P(HpkeNegative, EncOfWrongSizeIsRejected) {
  auto a = seal_one();
  Bytes longer = a.enc;
  longer.push_back(0);
  for (const Bytes& bad : {Bytes(), Bytes(a.enc.begin(), a.enc.end() - 1), longer}) {
    auto r = hpke_.setup_receiver(bad, p_.sk_r, p_.info, p_.receiver());
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(HpkeErrc::deserialize_failed)) << r.error().to_string();
  }
}

TEST_P(HpkeNegative, WrongRecipientKeyFails) {
  auto a = seal_one();
  const DhPrivateKey other = generate(hpke_);
  auto r = hpke_.setup_receiver(a.enc, other, p_.info, p_.receiver());
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->open(aad_, a.ct).ok());
}

TEST_P(HpkeNegative, WrongPskFails) {
  auto a = seal_one();
  if (!is_psk_mode(mode())) {
    // A psk where the mode has none is refused outright.
    HpkeReceiverMode with_psk = p_.receiver();
    with_psk.psk = p_.psk;
    with_psk.psk_id = p_.psk_id;
    auto r = hpke_.setup_receiver(a.enc, p_.sk_r, p_.info, with_psk);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(HpkeErrc::invalid_mode_inputs));
    return;
  }
  const Bytes other_psk = h("1247fd33b913760fa1fa51e1892d9f307fbe65eb171e8132c2af18555a738b82");
  HpkeReceiverMode wrong_psk = p_.receiver();
  wrong_psk.psk = other_psk;
  expect_rejected(a.enc, p_.info, wrong_psk, a.ct);
  HpkeReceiverMode wrong_id = p_.receiver();
  const Bytes other_id = to_bytes("Speak, friend");
  wrong_id.psk_id = other_id;
  expect_rejected(a.enc, p_.info, wrong_id, a.ct);
}

TEST_P(HpkeNegative, WrongSenderKeyFails) {
  if (!is_auth_mode(mode())) {
    // A sender key where the mode has none is refused outright.
    auto a = seal_one();
    HpkeReceiverMode with_key = p_.receiver();
    with_key.pk_s = p_.sk_s.public_key();
    auto r = hpke_.setup_receiver(a.enc, p_.sk_r, p_.info, with_key);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(HpkeErrc::invalid_mode_inputs));
    return;
  }
  // The sender authenticates with a key the receiver does not expect.
  HpkeSenderMode impostor = p_.sender();
  impostor.sk_s = generate(hpke_);
  auto s = hpke_.setup_sender(p_.sk_r.public_key(), p_.info, impostor);
  ASSERT_TRUE(s.ok());
  auto ct = s->context.seal(aad_, pt_);
  ASSERT_TRUE(ct.ok());
  expect_rejected(s->enc, p_.info, p_.receiver(), *ct);

  // The receiver expects another sender's public key.
  auto a = seal_one();
  HpkeReceiverMode wrong_pk = p_.receiver();
  wrong_pk.pk_s = generate(hpke_).public_key();
  expect_rejected(a.enc, p_.info, wrong_pk, a.ct);
}

TEST_P(HpkeNegative, ModeMismatchBetweenSidesFails) {
  // The receiver runs another mode than the sender (with inputs valid for
  // its own mode): the key schedule context differs, so open fails.
  auto a = seal_one();
  for (HpkeMode other : kModes) {
    if (other == mode()) continue;
    Parties q = p_;
    q.mode = other;
    expect_rejected(a.enc, p_.info, q.receiver(), a.ct);
  }
}

TEST_P(HpkeNegative, RolesAreEnforced) {
  auto s = sender();
  auto r = hpke_.setup_receiver(s.enc, p_.sk_r, p_.info, p_.receiver());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(s.context.role(), HpkeContext::Role::sender);
  EXPECT_EQ(r->role(), HpkeContext::Role::receiver);
  auto ct = s.context.seal(aad_, pt_);
  ASSERT_TRUE(ct.ok());
  auto sender_open = s.context.open(aad_, *ct);
  ASSERT_FALSE(sender_open.ok());
  EXPECT_TRUE(sender_open.error().is(HpkeErrc::wrong_role));
  auto receiver_seal = r->seal(aad_, pt_);
  ASSERT_FALSE(receiver_seal.ok());
  EXPECT_TRUE(receiver_seal.error().is(HpkeErrc::wrong_role));
  // Neither failure moved a sequence number.
  EXPECT_EQ(s.context.sequence_number(), 1U);
  EXPECT_EQ(r->sequence_number(), 0U);
}

TEST_P(HpkeNegative, MessageLimit) {
  auto s = sender();
  auto r = hpke_.setup_receiver(s.enc, p_.sk_r, p_.info, p_.receiver());
  ASSERT_TRUE(r.ok());
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  s.context.set_sequence_number_for_testing(kMax - 1);
  r->set_sequence_number_for_testing(kMax - 1);
  // The last message allowed uses seq 2^64 - 2 in the nonce.
  auto ct = s.context.seal(aad_, pt_);
  ASSERT_TRUE(ct.ok());
  auto pt = r->open(aad_, *ct);
  ASSERT_TRUE(pt.ok());
  EXPECT_EQ(*pt, pt_);
  EXPECT_EQ(s.context.sequence_number(), kMax);

  auto over = s.context.seal(aad_, pt_);
  ASSERT_FALSE(over.ok());
  EXPECT_TRUE(over.error().is(HpkeErrc::message_limit_reached));
  auto over_open = r->open(aad_, *ct);
  ASSERT_FALSE(over_open.ok());
  EXPECT_TRUE(over_open.error().is(HpkeErrc::message_limit_reached));
}

TEST_P(HpkeNegative, SequenceNumberIsInTheNonce) {
  // A receiver at sequence 256 cannot open message 0, and vice versa: the
  // sequence enters the nonce beyond its lowest byte.
  auto s = sender();
  auto r = hpke_.setup_receiver(s.enc, p_.sk_r, p_.info, p_.receiver());
  ASSERT_TRUE(r.ok());
  auto ct0 = s.context.seal(aad_, pt_);
  ASSERT_TRUE(ct0.ok());
  r->set_sequence_number_for_testing(256);
  EXPECT_FALSE(r->open(aad_, *ct0).ok());
  s.context.set_sequence_number_for_testing(256);
  auto ct256 = s.context.seal(aad_, pt_);
  ASSERT_TRUE(ct256.ok());
  EXPECT_NE(*ct0, *ct256);
  auto pt = r->open(aad_, *ct256);
  ASSERT_TRUE(pt.ok());
  EXPECT_EQ(r->sequence_number(), 257U);
}

std::string negative_name(const ::testing::TestParamInfo<NegativeParam>& info) {
  const HpkeSuite& s = std::get<0>(info.param);
  return kem_name(s.kem) + "_" + kdf_name(s.kdf) + "_" + aead_name(s.aead) + "_" +
         mode_name(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Suites, HpkeNegative,
                         ::testing::Combine(::testing::ValuesIn(kNegativeSuites),
                                            ::testing::ValuesIn(kModes)),
                         negative_name);

// ---------------------------------------------------------------------------
// Suites, keys and mode inputs.

const HpkeSuite kX25519Suite = {KemId::dhkem_x25519_sha256, KdfId::hkdf_sha256,
                                HpkeAeadId::aes_128_gcm};
// MLS cipher suite 7 (MLS_256_DHKEMP384_AES256GCM_SHA384_P384).
const HpkeSuite kP384Suite = {KemId::dhkem_p384_sha384, KdfId::hkdf_sha384,
                              HpkeAeadId::aes_256_gcm};

TEST(Hpke, CreateRejectsUnknownCodePoints) {
  for (const auto& suite : {
           HpkeSuite{static_cast<KemId>(0x0013), KdfId::hkdf_sha256, HpkeAeadId::aes_128_gcm},
           HpkeSuite{static_cast<KemId>(0x0000), KdfId::hkdf_sha256, HpkeAeadId::aes_128_gcm},
           HpkeSuite{KemId::dhkem_x25519_sha256, static_cast<KdfId>(0x0004),
                     HpkeAeadId::aes_128_gcm},
           HpkeSuite{KemId::dhkem_x25519_sha256, KdfId::hkdf_sha256, static_cast<HpkeAeadId>(4)},
           HpkeSuite{KemId::dhkem_x25519_sha256, KdfId::hkdf_sha256, static_cast<HpkeAeadId>(0)},
       }) {
    auto hpke = Hpke::create(suite);
    ASSERT_FALSE(hpke.ok());
    EXPECT_TRUE(hpke.error().is(HpkeErrc::unsupported_suite));
    EXPECT_EQ(hpke.error().domain(), "hpke");
  }
}

TEST(Hpke, SizesFollowTheKem) {
  EXPECT_EQ(make(kX25519Suite).enc_size(), 32U);
  EXPECT_EQ(make(kP384Suite).enc_size(), 97U);
  EXPECT_EQ(make(kP384Suite).private_key_size(), 48U);
  EXPECT_EQ(
      make({KemId::dhkem_p521_sha512, KdfId::hkdf_sha512, HpkeAeadId::aes_256_gcm}).enc_size(),
      133U);
  EXPECT_EQ(make({KemId::dhkem_x448_sha512, KdfId::hkdf_sha512, HpkeAeadId::aes_256_gcm})
                .public_key_size(),
            56U);
}

TEST(Hpke, DeriveKeyPairIsDeterministic) {
  const Bytes ikm1 = h("7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234");
  const Bytes ikm2 = h("7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3235");
  for (KemId kem : kKems) {
    SCOPED_TRACE(kem_name(kem));
    const Hpke hpke = make({kem, KdfId::hkdf_sha256, HpkeAeadId::aes_128_gcm});
    auto a = hpke.derive_key_pair(ikm1);
    auto b = hpke.derive_key_pair(ikm1);
    auto c = hpke.derive_key_pair(ikm2);
    ASSERT_TRUE(a.ok() && b.ok() && c.ok());
    const SecretBytes sk_a = dh_private_key_to_bytes(*a);
    EXPECT_EQ(sk_a.size(), hpke.private_key_size());
    EXPECT_EQ(sk_a, dh_private_key_to_bytes(*b));
    EXPECT_EQ(a->public_key().bytes(), b->public_key().bytes());
    EXPECT_FALSE(sk_a == dh_private_key_to_bytes(*c));
    EXPECT_NE(a->public_key().bytes(), c->public_key().bytes());
    EXPECT_EQ(a->public_key().bytes().size(), hpke.public_key_size());
    if (kem == KemId::dhkem_p521_sha512) {
      EXPECT_LE(sk_a.view()[0], 0x01);  // the bitmask keeps 521 bits
    }
    // The serialized private key gives the same key pair back.
    auto again = hpke.deserialize_private_key(sk_a.view());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->public_key().bytes(), a->public_key().bytes());
    // The KDF of the suite does not matter: DeriveKeyPair uses the KEM's.
    auto d = make({kem, KdfId::hkdf_sha512, HpkeAeadId::export_only}).derive_key_pair(ikm1);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->public_key().bytes(), a->public_key().bytes());
  }
}

TEST(Hpke, DeriveKeyPairAcceptsShortAndLongIkm) {
  const Hpke hpke = make(kP384Suite);
  EXPECT_TRUE(hpke.derive_key_pair({}).ok());
  EXPECT_TRUE(hpke.derive_key_pair(Bytes(1000, 7)).ok());
}

// DHKEM(P-384) DeriveKeyPair against MLS's treekem.json (suite 7, first
// test, leaf 0): node 1's key pair is DeriveKeyPair(DeriveSecret(
// path_secret, "node")), and its public key appears in the vector's
// ratchet_tree. RFC 9180 has no P-384 vectors.
TEST(Hpke, DeriveKeyPairP384MatchesMlsTreeKemVector) {
  const Bytes path_secret =
      h("f5494998ba21a96a6cfa8e2c994fbbf6f05f865b9515d6ac16975e6724b8ea75"
        "1d5fd419f8b10f6052de25f517c68751");
  // DeriveSecret(s, "node") = ExpandWithLabel(s, "node", "", 48): the
  // KDFLabel is uint16 48 || opaque<V> "MLS 1.0 node" || opaque<V> "".
  const Bytes kdf_label = concat({h("0030"), h("0c"), as_bytes("MLS 1.0 node"), h("00")});
  auto node_secret = hkdf_expand(HashId::sha384, path_secret, kdf_label, 48);
  ASSERT_TRUE(node_secret.ok());
  auto key = make(kP384Suite).derive_key_pair(node_secret->view());
  ASSERT_TRUE(key.ok()) << key.error().to_string();
  EXPECT_EQ(to_hex(key->public_key().bytes()),
            "0402bf8074985849421be9d358a24a47fdac0b1e9f234cdf9a01fb73c71fc051b4151dff0ddaed11"
            "b45fe852846e86a919bb416979d1b342974dcfbedd4344a43c519349107880d3660e40d5895e91c6"
            "be9b5d7d6d73c91fee8ec26a158ee3906e");
}

// DHKEM(P-384), HKDF-SHA384, AES-256-GCM against MLS's crypto-basics.json
// (suite 7, encrypt_with_label): DecryptWithLabel is a base-mode single-shot
// open with info = EncryptContext and empty aad.
TEST(Hpke, OpenP384MatchesMlsCryptoBasicsVector) {
  const Hpke hpke = make(kP384Suite);
  auto sk = hpke.deserialize_private_key(
      h("cc20f4f626228151e2f75d623198087e14cf8fecb5eb7e780bd6a177d31fafa295e6ea24e601d52c7fc4e7a9"
        "fb8907ff"));
  ASSERT_TRUE(sk.ok());
  EXPECT_EQ(to_hex(sk->public_key().bytes()),
            "046b377162761a08807035865b8e6122beb118cb640df3468e30fe4249daaeb60e1ee9eff15bc9b95cc0"
            "8839b35ff48b6848b12de26e96d671cab4926235739bd972ad08cd36574c22e884f3e9c761c3a28a9c8e"
            "140b887bb7460b8b657b57b28b");
  const Bytes context =
      h("fb91549fe16bc4540788e61d4bc7f9704cc7af3657cc96ad2940500ab9fb749bbc63065477b336bb4b1c80d2"
        "12536030");
  // EncryptContext: opaque<V> "MLS 1.0 EncryptWithLabel" || opaque<V> context.
  const Bytes info = concat({h("18"), as_bytes("MLS 1.0 EncryptWithLabel"), h("30"), context});
  const Bytes kem_output =
      h("04e7f79fb8cb58a43ad5897c5696d5ec6b2b5e8b84fd65fa24e5ef98aaccadcd95df930f04462ec378e501f6"
        "0c79baeaf199f4f752cee808efd55e9a4ce32010f1624314eae209cde57a4a6c9c10b3a26c681e5555419994"
        "490d8829cf9c3bc96c");
  const Bytes ct =
      h("f9caffe1b567c1860b70de5676c19c81b5927d9af22b3a0361cd936865b519d35f06e8f81dd85cb79cb6b43a"
        "bdf944c2663f79f82677c71979ce7fc457e56d47");
  auto pt = hpke.open(kem_output, *sk, info, {}, ct);
  ASSERT_TRUE(pt.ok()) << pt.error().to_string();
  EXPECT_EQ(to_hex(*pt),
            "fd137dab4ff57f2e9064a0fe2b2d8c72dd0f162d8ca3550e3e0561d5ee45a1e37494fc1f2547dd9f3897"
            "7fc01ada7e50");
}

TEST(Hpke, EncapDecapAgree) {
  for (KemId kem : kKems) {
    SCOPED_TRACE(kem_name(kem));
    const Hpke hpke = make({kem, KdfId::hkdf_sha256, HpkeAeadId::aes_128_gcm});
    const DhPrivateKey sk_r = generate(hpke);
    const DhPrivateKey sk_s = generate(hpke);
    auto base = hpke.encap(sk_r.public_key());
    ASSERT_TRUE(base.ok());
    auto base_r = hpke.decap(base->enc, sk_r);
    ASSERT_TRUE(base_r.ok());
    EXPECT_EQ(base->shared_secret, *base_r);
    // Nsecret is the KEM hash's size.
    const size_t nsecret = kem == KemId::dhkem_p256_sha256 || kem == KemId::dhkem_x25519_sha256 ? 32
                           : kem == KemId::dhkem_p384_sha384                                    ? 48
                                                             : 64;
    EXPECT_EQ(base->shared_secret.size(), nsecret);

    auto auth = hpke.encap(sk_r.public_key(), sk_s);
    ASSERT_TRUE(auth.ok());
    auto auth_r = hpke.decap(auth->enc, sk_r, sk_s.public_key());
    ASSERT_TRUE(auth_r.ok());
    EXPECT_EQ(auth->shared_secret, *auth_r);
    // AuthDecap of the same enc without (or with another) sender key differs.
    auto unauth_r = hpke.decap(auth->enc, sk_r);
    ASSERT_TRUE(unauth_r.ok());
    EXPECT_FALSE(auth->shared_secret == *unauth_r);

    // A fixed ephemeral key gives a fixed encapsulation.
    const DhPrivateKey sk_e = generate(hpke);
    auto e1 = hpke.encap_for_testing(sk_r.public_key(), std::nullopt, sk_e);
    auto e2 = hpke.encap_for_testing(sk_r.public_key(), std::nullopt, sk_e);
    ASSERT_TRUE(e1.ok() && e2.ok());
    EXPECT_EQ(e1->enc, sk_e.public_key().bytes());
    EXPECT_EQ(e1->enc, e2->enc);
    EXPECT_EQ(e1->shared_secret, e2->shared_secret);
  }
}

TEST(Hpke, FreshEphemeralKeyPerSetup) {
  const Hpke hpke = make(kP384Suite);
  const DhPrivateKey sk_r = generate(hpke);
  auto a = hpke.setup_sender(sk_r.public_key(), {});
  auto b = hpke.setup_sender(sk_r.public_key(), {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->enc, b->enc);
}

TEST(Hpke, KeysOfAnotherGroupAreRejected) {
  const Hpke x25519 = make(kX25519Suite);
  const Hpke p384 = make(kP384Suite);
  const DhPrivateKey p384_key = generate(p384);
  const DhPrivateKey x_key = generate(x25519);

  auto s = x25519.setup_sender(p384_key.public_key(), {});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(HpkeErrc::key_group_mismatch));

  auto auth = x25519.setup_sender(x_key.public_key(), {}, HpkeSenderMode::auth(p384_key));
  ASSERT_FALSE(auth.ok());
  EXPECT_TRUE(auth.error().is(HpkeErrc::key_group_mismatch));

  auto good = x25519.setup_sender(x_key.public_key(), {});
  ASSERT_TRUE(good.ok());
  auto r = x25519.setup_receiver(good->enc, p384_key, {});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(HpkeErrc::key_group_mismatch));

  auto r_auth =
      x25519.setup_receiver(good->enc, x_key, {}, HpkeReceiverMode::auth(p384_key.public_key()));
  ASSERT_FALSE(r_auth.ok());
  EXPECT_TRUE(r_auth.error().is(HpkeErrc::key_group_mismatch));
}

TEST(Hpke, OffCurveEncIsRejected) {
  for (KemId kem : {KemId::dhkem_p256_sha256, KemId::dhkem_p384_sha384, KemId::dhkem_p521_sha512}) {
    SCOPED_TRACE(kem_name(kem));
    const Hpke hpke = make({kem, KdfId::hkdf_sha256, HpkeAeadId::aes_128_gcm});
    auto sk_r = hpke.derive_key_pair(to_bytes("recipient"));
    auto point = hpke.derive_key_pair(to_bytes("some point"));
    ASSERT_TRUE(sk_r.ok() && point.ok());
    Bytes enc = point->public_key().bytes();
    enc.back() ^= 0x01;  // y changed: (x, y') is not on the curve
    auto r = hpke.setup_receiver(enc, *sk_r, {});
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(HpkeErrc::deserialize_failed)) << r.error().to_string();
    enc = point->public_key().bytes();
    enc[0] = 0x02;  // compressed form is not Npk bytes long: still rejected
    EXPECT_FALSE(hpke.setup_receiver(enc, *sk_r, {}).ok());
    Bytes identity(hpke.enc_size(), 0);  // all zero: not a valid encoding
    EXPECT_FALSE(hpke.setup_receiver(identity, *sk_r, {}).ok());
    EXPECT_FALSE(hpke.deserialize_public_key(identity).ok());
  }
}

TEST(Hpke, LowOrderXEncIsRejected) {
  for (KemId kem : {KemId::dhkem_x25519_sha256, KemId::dhkem_x448_sha512}) {
    SCOPED_TRACE(kem_name(kem));
    const Hpke hpke = make({kem, KdfId::hkdf_sha256, HpkeAeadId::aes_128_gcm});
    const DhPrivateKey sk_r = generate(hpke);
    // u = 0 and u = 1 are of small order: the DH output is all zero.
    for (uint8_t u : {uint8_t{0}, uint8_t{1}}) {
      Bytes enc(hpke.enc_size(), 0);
      enc[0] = u;
      auto r = hpke.setup_receiver(enc, sk_r, {});
      ASSERT_FALSE(r.ok());
      EXPECT_TRUE(r.error().is(HpkeErrc::dh_failed) || r.error().is(HpkeErrc::deserialize_failed))
          << r.error().to_string();
    }
  }
}

TEST(Hpke, PskAndSenderKeyMustFitTheMode) {
  const Hpke hpke = make(kX25519Suite);
  const DhPrivateKey sk_r = generate(hpke);
  const DhPrivateKey sk_s = generate(hpke);
  const Bytes psk = Bytes(32, 0x42);
  const Bytes short_psk = Bytes(31, 0x42);
  const Bytes psk_id = to_bytes("id");
  const Bytes enc = hpke.setup_sender(sk_r.public_key(), {})->enc;

  const std::vector<std::pair<std::string, HpkeSenderMode>> bad_senders = {
      {"base with psk", {HpkeMode::base, psk, psk_id, std::nullopt}},
      {"base with sender key", {HpkeMode::base, {}, {}, sk_s}},
      {"psk without psk", {HpkeMode::psk, {}, {}, std::nullopt}},
      {"psk without psk_id", {HpkeMode::psk, psk, {}, std::nullopt}},
      {"psk_id without psk", {HpkeMode::psk, {}, psk_id, std::nullopt}},
      {"psk with sender key", {HpkeMode::psk, psk, psk_id, sk_s}},
      {"auth without sender key", {HpkeMode::auth, {}, {}, std::nullopt}},
      {"auth with psk", {HpkeMode::auth, psk, psk_id, sk_s}},
      {"auth_psk without psk", {HpkeMode::auth_psk, {}, {}, sk_s}},
      {"auth_psk without sender key", {HpkeMode::auth_psk, psk, psk_id, std::nullopt}},
      {"psk of 31 bytes", {HpkeMode::psk, short_psk, psk_id, std::nullopt}},
      {"unknown mode", {static_cast<HpkeMode>(4), {}, {}, std::nullopt}},
  };
  for (const auto& [name, mode] : bad_senders) {
    SCOPED_TRACE(name);
    auto s = hpke.setup_sender(sk_r.public_key(), {}, mode);
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(s.error().is(HpkeErrc::invalid_mode_inputs)) << s.error().to_string();
    EXPECT_FALSE(s.error().detail().empty());
    auto sealed = hpke.seal(sk_r.public_key(), {}, {}, {}, mode);
    ASSERT_FALSE(sealed.ok());
    EXPECT_TRUE(sealed.error().is(HpkeErrc::invalid_mode_inputs));
    auto t = hpke.setup_sender_for_testing(sk_r.public_key(), {}, mode, sk_s);
    ASSERT_FALSE(t.ok());
    EXPECT_TRUE(t.error().is(HpkeErrc::invalid_mode_inputs));
  }

  const std::vector<std::pair<std::string, HpkeReceiverMode>> bad_receivers = {
      {"base with psk", {HpkeMode::base, psk, psk_id, std::nullopt}},
      {"base with sender key", {HpkeMode::base, {}, {}, sk_s.public_key()}},
      {"psk without psk_id", {HpkeMode::psk, psk, {}, std::nullopt}},
      {"psk_id without psk", {HpkeMode::psk, {}, psk_id, std::nullopt}},
      {"auth without sender key", {HpkeMode::auth, {}, {}, std::nullopt}},
      {"auth_psk without psk", {HpkeMode::auth_psk, {}, {}, sk_s.public_key()}},
      {"psk of 31 bytes", {HpkeMode::psk, short_psk, psk_id, std::nullopt}},
  };
  for (const auto& [name, mode] : bad_receivers) {
    SCOPED_TRACE(name);
    auto r = hpke.setup_receiver(enc, sk_r, {}, mode);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(HpkeErrc::invalid_mode_inputs)) << r.error().to_string();
  }

  // VerifyPSKInputs in the key schedule itself.
  const SecretBytes shared(Bytes(32, 1));
  EXPECT_FALSE(hpke.key_schedule(HpkeMode::base, shared, {}, psk, psk_id).ok());
  EXPECT_FALSE(hpke.key_schedule(HpkeMode::psk, shared, {}, {}, {}).ok());
  EXPECT_FALSE(hpke.key_schedule(HpkeMode::psk, shared, {}, psk, {}).ok());
  EXPECT_FALSE(hpke.key_schedule(HpkeMode::auth_psk, shared, {}, {}, psk_id).ok());
  EXPECT_TRUE(hpke.key_schedule(HpkeMode::psk, shared, {}, psk, psk_id).ok());
  EXPECT_TRUE(hpke.key_schedule(HpkeMode::auth, shared, {}, {}, {}).ok());
}

TEST(Hpke, KeyScheduleDependsOnEveryInput) {
  const Hpke hpke = make(kP384Suite);
  const SecretBytes shared(Bytes(48, 1));
  const Bytes psk(32, 2);
  const Bytes psk_id = to_bytes("id");
  auto a = hpke.key_schedule(HpkeMode::psk, shared, to_bytes("info"), psk, psk_id);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->key.size(), 32U);              // AES-256-GCM Nk
  EXPECT_EQ(a->base_nonce.size(), 12U);       // Nn
  EXPECT_EQ(a->exporter_secret.size(), 48U);  // HKDF-SHA384 Nh
  EXPECT_EQ(a->key_schedule_context.size(), 1U + 2 * 48);
  EXPECT_EQ(a->key_schedule_context[0], 0x01);

  auto other_info = hpke.key_schedule(HpkeMode::psk, shared, to_bytes("inf0"), psk, psk_id);
  auto other_psk = hpke.key_schedule(HpkeMode::psk, shared, to_bytes("info"), Bytes(32, 3), psk_id);
  auto other_id = hpke.key_schedule(HpkeMode::psk, shared, to_bytes("info"), psk, to_bytes("iD"));
  auto other_mode = hpke.key_schedule(HpkeMode::auth_psk, shared, to_bytes("info"), psk, psk_id);
  auto other_secret =
      hpke.key_schedule(HpkeMode::psk, SecretBytes(Bytes(48, 9)), to_bytes("info"), psk, psk_id);
  for (const auto* other : {&other_info, &other_psk, &other_id, &other_mode, &other_secret}) {
    ASSERT_TRUE(other->ok());
    EXPECT_FALSE((*other)->key == a->key);
    EXPECT_NE((*other)->base_nonce, a->base_nonce);
    EXPECT_FALSE((*other)->exporter_secret == a->exporter_secret);
  }

  const Hpke export_only =
      make({KemId::dhkem_p384_sha384, KdfId::hkdf_sha384, HpkeAeadId::export_only});
  auto e = export_only.key_schedule(HpkeMode::base, shared, {}, {}, {});
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->key.empty());
  EXPECT_TRUE(e->base_nonce.empty());
  EXPECT_EQ(e->exporter_secret.size(), 48U);
}

TEST(Hpke, ExportOnlyRefusesSealAndOpenButExports) {
  const Hpke hpke = make({KemId::dhkem_p384_sha384, KdfId::hkdf_sha384, HpkeAeadId::export_only});
  const DhPrivateKey sk_r = generate(hpke);
  auto s = hpke.setup_sender(sk_r.public_key(), to_bytes("info"));
  ASSERT_TRUE(s.ok());
  auto r = hpke.setup_receiver(s->enc, sk_r, to_bytes("info"));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(s->context.is_export_only());

  auto ct = s->context.seal({}, to_bytes("x"));
  ASSERT_FALSE(ct.ok());
  EXPECT_TRUE(ct.error().is(HpkeErrc::export_only));
  auto pt = r->open({}, Bytes(17, 0));
  ASSERT_FALSE(pt.ok());
  EXPECT_TRUE(pt.error().is(HpkeErrc::export_only));
  auto sealed = hpke.seal(sk_r.public_key(), {}, {}, to_bytes("x"));
  ASSERT_FALSE(sealed.ok());
  EXPECT_TRUE(sealed.error().is(HpkeErrc::export_only));

  auto a = s->context.export_secret(to_bytes("ctx"), 64);
  auto b = r->export_secret(to_bytes("ctx"), 64);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

TEST(Hpke, ExportLengths) {
  const Hpke hpke = make(kP384Suite);
  const DhPrivateKey sk_r = generate(hpke);
  auto s = hpke.setup_sender(sk_r.public_key(), {});
  ASSERT_TRUE(s.ok());
  const HpkeContext& ctx = s->context;

  auto zero = ctx.export_secret({}, 0);
  ASSERT_TRUE(zero.ok());
  EXPECT_TRUE(zero->empty());
  auto max = ctx.export_secret({}, 255 * 48);
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->size(), 255U * 48);
  auto too_long = ctx.export_secret({}, 255 * 48 + 1);
  ASSERT_FALSE(too_long.ok());
  EXPECT_TRUE(too_long.error().is(HpkeErrc::invalid_length));

  // Different contexts and lengths give unrelated values (L is in the
  // label, so a shorter export is not a prefix of a longer one).
  auto a = ctx.export_secret(to_bytes("a"), 32);
  auto b = ctx.export_secret(to_bytes("b"), 32);
  auto a16 = ctx.export_secret(to_bytes("a"), 16);
  ASSERT_TRUE(a.ok() && b.ok() && a16.ok());
  EXPECT_FALSE(*a == *b);
  EXPECT_FALSE(equal(a->view().first(16), a16->view()));
}

TEST(Hpke, ErrorsHaveMessages) {
  for (int e = 1; e <= static_cast<int>(HpkeErrc::invalid_length); ++e) {
    EXPECT_NE(error_message(static_cast<HpkeErrc>(e)), "unknown hpke error") << e;
  }
  EXPECT_EQ(error_domain(HpkeErrc::open_failed), "hpke");
}

}  // namespace
}  // namespace conclave::crypto
