// KeySchedule: member and joiner agree, the exporter, PSK chaining,
// external init and the Welcome key. The known-answer values are in
// key-schedule.json and psk_secret.json (lib/vectors/test/).
#include "conclave/mls/key_schedule.h"

#include <gtest/gtest.h>

#include <iterator>
#include <set>
#include <vector>

namespace conclave::mls {
namespace {

constexpr CipherSuiteId kSuite1 = CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519;

CipherSuite make(CipherSuiteId id = kSuite1) {
  auto s = CipherSuite::create(id);
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

GroupContext context(CipherSuiteId id = kSuite1, uint64_t epoch = 1) {
  GroupContext c;
  c.cipher_suite = id;
  c.group_id = {'g', 'r', 'o', 'u', 'p'};
  c.epoch = epoch;
  c.tree_hash = Bytes(32, 0x01);
  c.confirmed_transcript_hash = Bytes(32, 0x02);
  return c;
}

using Getter = const SecretBytes& (KeySchedule::*)() const;
constexpr Getter kAll[] = {
    &KeySchedule::joiner_secret,      &KeySchedule::welcome_secret,
    &KeySchedule::sender_data_secret, &KeySchedule::encryption_secret,
    &KeySchedule::exporter_secret,    &KeySchedule::external_secret,
    &KeySchedule::confirmation_key,   &KeySchedule::membership_key,
    &KeySchedule::resumption_psk,     &KeySchedule::epoch_authenticator,
    &KeySchedule::init_secret,
};

void expect_same_schedule(const KeySchedule& a, const KeySchedule& b) {
  for (auto get : kAll) EXPECT_EQ((a.*get)(), (b.*get)());
}

KeySchedule member_schedule(const CipherSuite& s, const GroupContext& ctx,
                            const Bytes& init = Bytes(32, 0xA1),
                            const Bytes& commit = Bytes(32, 0xB2),
                            const Bytes& psk = Bytes(32, 0xC3)) {
  auto ks = KeySchedule::from_init_secret(s, init, commit, psk, ctx);
  EXPECT_TRUE(ks.ok());
  return std::move(ks).value();
}

TEST(KeySchedule, SecretsHaveKdfNhBytesAndAllDiffer) {
  for (auto id : {kSuite1, CipherSuiteId::mls_256_dhkemp384_aes256gcm_sha384_p384,
                  CipherSuiteId::mls_256_dhkemx448_aes256gcm_sha512_ed448}) {
    const CipherSuite s = make(id);
    const KeySchedule ks = member_schedule(s, context(id), Bytes(s.hash_size(), 1),
                                           Bytes(s.hash_size(), 2), Bytes(s.hash_size(), 3));
    std::set<Bytes> seen;
    for (auto get : kAll) {
      EXPECT_EQ((ks.*get)().size(), s.hash_size());
      seen.insert((ks.*get)().reveal_copy());
    }
    EXPECT_EQ(seen.size(), std::size(kAll));
  }
}

TEST(KeySchedule, JoinerDerivesWhatTheMemberDerives) {
  const CipherSuite s = make();
  const GroupContext ctx = context();
  const Bytes init(32, 0xA1), commit(32, 0xB2), psk(32, 0xC3);
  const KeySchedule member = member_schedule(s, ctx, init, commit, psk);

  // The committer sends joiner_secret in GroupSecrets; the joiner first
  // needs welcome_secret (no GroupContext yet), then the whole schedule.
  auto joiner = KeySchedule::joiner_secret(s, init, commit, ctx);
  ASSERT_TRUE(joiner.ok());
  EXPECT_EQ(*joiner, member.joiner_secret());
  auto welcome = KeySchedule::welcome_secret(s, joiner->view(), psk);
  ASSERT_TRUE(welcome.ok());
  EXPECT_EQ(*welcome, member.welcome_secret());
  auto joined = KeySchedule::from_joiner_secret(s, joiner->view(), psk, ctx);
  ASSERT_TRUE(joined.ok());
  expect_same_schedule(member, *joined);
}

TEST(KeySchedule, EveryInputChangesTheEpoch) {
  const CipherSuite s = make();
  const KeySchedule base = member_schedule(s, context());
  const Bytes auth = base.epoch_authenticator().reveal_copy();
  EXPECT_NE(member_schedule(s, context(kSuite1, 2)).epoch_authenticator().reveal_copy(), auth);
  EXPECT_NE(member_schedule(s, context(), Bytes(32, 0xA0)).epoch_authenticator().reveal_copy(),
            auth);
  EXPECT_NE(member_schedule(s, context(), Bytes(32, 0xA1), Bytes(32, 0xB0))
                .epoch_authenticator()
                .reveal_copy(),
            auth);
  EXPECT_NE(member_schedule(s, context(), Bytes(32, 0xA1), Bytes(32, 0xB2), Bytes(32, 0xC0))
                .epoch_authenticator()
                .reveal_copy(),
            auth);
}

TEST(KeySchedule, GroupContextOfAnotherSuiteIsRefused) {
  const CipherSuite s = make();
  const GroupContext other = context(CipherSuiteId::mls_128_dhkemp256_aes128gcm_sha256_p256);
  auto ks = KeySchedule::from_init_secret(s, Bytes(32, 1), Bytes{}, Bytes{}, other);
  ASSERT_FALSE(ks.ok());
  EXPECT_TRUE(ks.error().is(Errc::invalid_argument));
  EXPECT_FALSE(KeySchedule::joiner_secret(s, Bytes(32, 1), Bytes{}, other).ok());
  EXPECT_FALSE(KeySchedule::from_joiner_secret(s, Bytes(32, 1), Bytes{}, other).ok());
}

TEST(KeySchedule, EmptyCommitAndPskSecretsMeanZeros) {
  const CipherSuite s = make();
  const Bytes init(32, 0xA1);
  const KeySchedule zeros = member_schedule(s, context(), init, Bytes(32, 0), Bytes(32, 0));
  const KeySchedule empty = member_schedule(s, context(), init, Bytes{}, Bytes{});
  expect_same_schedule(zeros, empty);
}

TEST(KeySchedule, InitSecretChainsEpochs) {
  const CipherSuite s = make();
  const KeySchedule e1 = member_schedule(s, context(kSuite1, 1));
  const KeySchedule e2 =
      member_schedule(s, context(kSuite1, 2), e1.init_secret().reveal_copy(), Bytes{}, Bytes{});
  const KeySchedule e2_again =
      member_schedule(s, context(kSuite1, 2), e1.init_secret().reveal_copy(), Bytes{}, Bytes{});
  expect_same_schedule(e2, e2_again);
  EXPECT_NE(e1.init_secret(), e2.init_secret());
}

TEST(KeySchedule, ExporterIsDeterministicAndSeparatesLabelsAndContexts) {
  const CipherSuite s = make();
  const KeySchedule ks = member_schedule(s, context());
  auto a = ks.export_secret("SFrame 1.0 Base Key", {}, 16);
  auto a_again = ks.export_secret("SFrame 1.0 Base Key", {}, 16);
  auto other_label = ks.export_secret("SFrame 1.0 Base Kez", {}, 16);
  auto other_context = ks.export_secret("SFrame 1.0 Base Key", Bytes{0}, 16);
  auto longer = ks.export_secret("SFrame 1.0 Base Key", {}, 48);
  ASSERT_TRUE(a.ok() && a_again.ok() && other_label.ok() && other_context.ok() && longer.ok());
  EXPECT_EQ(a->size(), 16u);
  EXPECT_EQ(longer->size(), 48u);
  EXPECT_EQ(*a, *a_again);
  EXPECT_NE(a->reveal_copy(), other_label->reveal_copy());
  EXPECT_NE(a->reveal_copy(), other_context->reveal_copy());
  // The definition: ExpandWithLabel(DeriveSecret(exporter_secret, label),
  // "exported", Hash(context), length).
  auto derived = s.derive_secret(ks.exporter_secret().view(), "SFrame 1.0 Base Key");
  ASSERT_TRUE(derived.ok());
  auto want = s.expand_with_label(derived->view(), "exported", s.hash({}), 16);
  ASSERT_TRUE(want.ok());
  EXPECT_EQ(*a, *want);
  // Other members of the epoch export the same value; another epoch does not.
  const KeySchedule same = member_schedule(s, context());
  auto b = same.export_secret("SFrame 1.0 Base Key", {}, 16);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  auto c = member_schedule(s, context(kSuite1, 9)).export_secret("SFrame 1.0 Base Key", {}, 16);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->reveal_copy(), c->reveal_copy());
}

TEST(KeySchedule, ExporterRefusesImpossibleLengths) {
  const CipherSuite s = make();
  const KeySchedule ks = member_schedule(s, context());
  auto too_long = ks.export_secret("x", {}, 255 * 32 + 1);
  ASSERT_FALSE(too_long.ok());
  EXPECT_TRUE(too_long.error().is(Errc::invalid_length));
  EXPECT_TRUE(ks.export_secret("x", {}, 0).ok());
}

PskWithSecret external_psk(uint8_t id, uint8_t value, size_t nh = 32) {
  PskWithSecret p;
  p.id.content = ExternalPSK{Bytes{id}};
  p.id.psk_nonce = Bytes(nh, static_cast<uint8_t>(id + 1));
  p.psk = SecretBytes(Bytes(nh, value));
  return p;
}

TEST(KeySchedule, PskSecretOfNoPsksIsZero) {
  for (auto id : {kSuite1, CipherSuiteId::mls_256_dhkemp521_aes256gcm_sha512_p521}) {
    const CipherSuite s = make(id);
    auto secret = KeySchedule::psk_secret(s, {});
    ASSERT_TRUE(secret.ok());
    EXPECT_EQ(secret->reveal_copy(), Bytes(s.hash_size(), 0));
  }
}

TEST(KeySchedule, PskSecretDependsOnOrderCountAndIds) {
  const CipherSuite s = make();
  const std::vector<PskWithSecret> ab = {external_psk(1, 0x10), external_psk(2, 0x20)};
  const std::vector<PskWithSecret> ba = {external_psk(2, 0x20), external_psk(1, 0x10)};
  const std::vector<PskWithSecret> a = {external_psk(1, 0x10)};
  std::vector<PskWithSecret> ab_other_nonce = ab;
  ab_other_nonce[1].id.psk_nonce[0] ^= 1;
  auto s_ab = KeySchedule::psk_secret(s, ab);
  auto s_ab2 = KeySchedule::psk_secret(s, ab);
  auto s_ba = KeySchedule::psk_secret(s, ba);
  auto s_a = KeySchedule::psk_secret(s, a);
  auto s_nonce = KeySchedule::psk_secret(s, ab_other_nonce);
  ASSERT_TRUE(s_ab.ok() && s_ab2.ok() && s_ba.ok() && s_a.ok() && s_nonce.ok());
  EXPECT_EQ(*s_ab, *s_ab2);
  EXPECT_NE(s_ab->reveal_copy(), s_ba->reveal_copy());
  EXPECT_NE(s_ab->reveal_copy(), s_a->reveal_copy());
  EXPECT_NE(s_ab->reveal_copy(), s_nonce->reveal_copy());

  // One PSK, by the definition: Extract(psk_input, 0) with psk_input =
  // ExpandWithLabel(Extract(0, psk), "derived psk", PSKLabel{id, 0, 1}, Nh).
  const SecretBytes extracted = s.extract({}, a[0].psk.view());
  auto input =
      s.expand_with_label(extracted.view(), "derived psk", encode(PSKLabel{a[0].id, 0, 1}), 32);
  ASSERT_TRUE(input.ok());
  const SecretBytes want = s.extract(input->view(), Bytes(32, 0));
  EXPECT_EQ(*s_a, want);
}

TEST(KeySchedule, WelcomeKeyAndNonceHaveAeadSizes) {
  for (auto id : {kSuite1, CipherSuiteId::mls_256_dhkemx448_chacha20poly1305_sha512_ed448}) {
    const CipherSuite s = make(id);
    const KeySchedule ks =
        member_schedule(s, context(id), Bytes(s.hash_size(), 1), Bytes{}, Bytes{});
    auto kn = ks.welcome_key_nonce();
    ASSERT_TRUE(kn.ok());
    EXPECT_EQ(kn->key.size(), s.key_size());
    EXPECT_EQ(kn->nonce.size(), s.nonce_size());
    auto again = KeySchedule::welcome_key_nonce(s, ks.welcome_secret().view());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(kn->key, again->key);
    EXPECT_EQ(kn->nonce, again->nonce);
    // By the definition of section 12.4.3.1.
    auto want = s.expand_with_label(ks.welcome_secret().view(), "key", {}, s.key_size());
    ASSERT_TRUE(want.ok());
    EXPECT_EQ(kn->key, *want);
  }
}

TEST(KeySchedule, ExternalInitRoundTrip) {
  for (auto id : {kSuite1, CipherSuiteId::mls_128_dhkemp256_aes128gcm_sha256_p256}) {
    const CipherSuite s = make(id);
    const KeySchedule ks = member_schedule(s, context(id));
    auto kp = ks.external_key_pair();
    auto kp_again = ks.external_key_pair();
    ASSERT_TRUE(kp.ok() && kp_again.ok());
    EXPECT_EQ(kp->public_key().bytes(), kp_again->public_key().bytes());

    auto joiner = KeySchedule::external_init(s, kp->public_key().bytes());
    ASSERT_TRUE(joiner.ok());
    EXPECT_EQ(joiner->init_secret.size(), s.hash_size());
    auto member = ks.external_init_secret(joiner->kem_output);
    ASSERT_TRUE(member.ok());
    EXPECT_EQ(*member, joiner->init_secret);

    // A second external joiner gets a fresh init_secret.
    auto other = KeySchedule::external_init(s, kp->public_key().bytes());
    ASSERT_TRUE(other.ok());
    EXPECT_NE(other->init_secret.reveal_copy(), joiner->init_secret.reveal_copy());

    EXPECT_FALSE(KeySchedule::external_init(s, Bytes{1, 2, 3}).ok());
    EXPECT_FALSE(ks.external_init_secret(Bytes{1, 2, 3}).ok());
  }
}

}  // namespace
}  // namespace conclave::mls
