// Welcome processing: a Welcome made with the committer-side helpers opens
// for its new member, and every receiver check (MLS-V-WEL-001..009,
// MLS-V-TH-001) refuses the Welcome it is about. Known answers are checked
// by welcome.json (lib/vectors/test/welcome_test.cpp).
#include "conclave/mls/welcome_processing.h"

#include <gtest/gtest.h>

#include <optional>
#include <utility>
#include <vector>

namespace conclave::mls {
namespace {

constexpr CipherSuiteId kSuite = CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519;

CipherSuite suite1() {
  auto s = CipherSuite::create(kSuite);
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

PreSharedKeyID external_psk(uint8_t id) {
  return PreSharedKeyID{ExternalPSK{Bytes{id}}, Bytes(32, id)};
}

PreSharedKeyID resumption_psk(ResumptionPSKUsage usage, uint8_t id) {
  return PreSharedKeyID{ResumptionPSK{usage, Bytes{id}, 3}, Bytes(32, id)};
}

// What a committer does for one new member; every piece can be changed by
// a test before build().
class WelcomeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto init = suite_.generate_hpke_key_pair();
    ASSERT_TRUE(init.ok());
    init_priv_.emplace(std::move(init).value());
    auto signer = suite_.generate_signature_key();
    ASSERT_TRUE(signer.ok());
    signer_.emplace(std::move(signer).value());

    key_package_.cipher_suite = kSuite;
    key_package_.init_key = init_priv_->public_key().bytes();
    key_package_.signature = Bytes{1, 2, 3};

    group_secrets_.joiner_secret = SecretBytes(Bytes(32, 0x4a));
    context_.cipher_suite = kSuite;
    context_.group_id = Bytes{0x67};
    context_.epoch = 5;
    context_.tree_hash = Bytes(32, 0x71);
    context_.confirmed_transcript_hash = Bytes(32, 0x72);
  }

  // psk_values_: what the committer used; the joiner's lookup sees
  // joiner_psks_.
  Welcome build() {
    std::vector<PskWithSecret> psks;
    for (size_t i = 0; i < group_secrets_.psks.size(); ++i) {
      psks.push_back(PskWithSecret{group_secrets_.psks[i], psk_value(group_secrets_.psks[i])});
    }
    auto psk_secret = KeySchedule::psk_secret(suite_, psks);
    EXPECT_TRUE(psk_secret.ok());
    auto ks = KeySchedule::from_joiner_secret(suite_, group_secrets_.joiner_secret.view(),
                                              psk_secret->view(), context_);
    EXPECT_TRUE(ks.ok());
    epoch_authenticator_ = ks->epoch_authenticator().reveal_copy();

    GroupInfo info;
    info.group_context = context_;
    info.confirmation_tag = make_confirmation_tag(suite_, ks->confirmation_key().view(),
                                                  context_.confirmed_transcript_hash);
    if (tamper_confirmation_tag_) info.confirmation_tag.back() ^= 1;
    info.signer = LeafIndex{0};
    if (info_suite_) info.group_context.cipher_suite = *info_suite_;
    EXPECT_TRUE(sign_group_info(suite_, info, *signer_).ok());

    const SecretBytes& info_joiner =
        group_info_joiner_secret_ ? *group_info_joiner_secret_ : group_secrets_.joiner_secret;
    auto encrypted_info = encrypt_group_info(suite_, info_joiner.view(), psk_secret->view(), info);
    EXPECT_TRUE(encrypted_info.ok());

    Welcome welcome;
    welcome.cipher_suite = kSuite;
    welcome.encrypted_group_info = *encrypted_info;
    // Someone else's entry first.
    KeyPackage other = key_package_;
    other.signature = Bytes{9};
    auto theirs = encrypt_group_secrets(suite_, other, *encrypted_info, group_secrets_);
    EXPECT_TRUE(theirs.ok());
    welcome.secrets.push_back(*theirs);
    auto mine = encrypt_group_secrets(suite_, key_package_, *encrypted_info, group_secrets_);
    EXPECT_TRUE(mine.ok());
    welcome.secrets.push_back(*mine);
    return welcome;
  }

  static SecretBytes psk_value(const PreSharedKeyID& id) {
    return SecretBytes(
        Bytes(32, static_cast<uint8_t>(id.psk_nonce.empty() ? 0 : id.psk_nonce[0] + 1)));
  }

  PskLookup psk_lookup() const {
    return [this](const PreSharedKeyID& id) -> std::optional<SecretBytes> {
      if (!joiner_has_psks_) return std::nullopt;
      return psk_value(id);
    };
  }

  GroupInfoSignerLookup signer_lookup() const {
    return [this](const GroupInfo& info) -> Result<Bytes> {
      if (info.signer != LeafIndex{0}) return Error(Errc::unknown_sender);
      return signer_->public_key().bytes();
    };
  }

  Result<ProcessedWelcome> process(const Welcome& welcome) const {
    return process_welcome(welcome, key_package_, *init_priv_, psk_lookup(), signer_lookup());
  }

  CipherSuite suite_ = suite1();
  std::optional<crypto::DhPrivateKey> init_priv_;
  std::optional<crypto::SignaturePrivateKey> signer_;
  KeyPackage key_package_;
  GroupSecrets group_secrets_;
  GroupContext context_;
  Bytes epoch_authenticator_;
  bool joiner_has_psks_ = true;
  bool tamper_confirmation_tag_ = false;
  std::optional<CipherSuiteId> info_suite_;
  std::optional<SecretBytes> group_info_joiner_secret_;
};

template <class T>
void expect_error(const Result<T>& r, Errc code, std::string_view rule) {
  ASSERT_FALSE(r.ok()) << rule;
  EXPECT_TRUE(r.error().is(code)) << r.error().to_string();
  EXPECT_EQ(r.error().detail(), rule);
}

TEST_F(WelcomeTest, NewMemberOpensTheWelcome) {
  const Welcome welcome = build();
  // Through the wire.
  auto decoded = decode_welcome(encode(welcome));
  ASSERT_TRUE(decoded.ok());
  auto got = process(*decoded);
  ASSERT_TRUE(got.ok()) << got.error().to_string();
  EXPECT_EQ(got->group_info.group_context, context_);
  EXPECT_EQ(got->group_secrets, group_secrets_);
  EXPECT_EQ(got->key_schedule.epoch_authenticator().reveal_copy(), epoch_authenticator_);
  EXPECT_EQ(got->psk_secret, SecretBytes(Bytes(32, 0)));
  EXPECT_EQ(got->transcript_hashes,
            TranscriptHashes::with_tag(suite_, context_.confirmed_transcript_hash,
                                       got->group_info.confirmation_tag));
}

TEST_F(WelcomeTest, PsksAreCombinedIntoTheKeySchedule) {
  group_secrets_.psks = {external_psk(1), resumption_psk(ResumptionPSKUsage::application, 2)};
  const Welcome welcome = build();
  auto got = process(welcome);
  ASSERT_TRUE(got.ok()) << got.error().to_string();
  EXPECT_NE(got->psk_secret, SecretBytes(Bytes(32, 0)));
  EXPECT_EQ(got->key_schedule.epoch_authenticator().reveal_copy(), epoch_authenticator_);
}

TEST_F(WelcomeTest, CipherSuiteOfTheKeyPackageMustMatch) {  // MLS-V-WEL-001
  Welcome welcome = build();
  welcome.cipher_suite = CipherSuiteId::mls_128_dhkemp256_aes128gcm_sha256_p256;
  expect_error(process(welcome), Errc::cipher_suite_mismatch, "MLS-V-WEL-001");
}

TEST_F(WelcomeTest, WelcomeForSomeoneElseIsRefused) {  // MLS-V-WEL-002
  Welcome welcome = build();
  welcome.secrets.pop_back();
  expect_error(process(welcome), Errc::no_matching_key_package, "MLS-V-WEL-002");
  welcome.secrets.clear();
  expect_error(process(welcome), Errc::no_matching_key_package, "MLS-V-WEL-002");
}

TEST_F(WelcomeTest, GroupSecretsForAnotherInitKeyAreRefused) {  // MLS-V-WEL-003
  Welcome welcome = build();
  // Our ref, but encrypted to someone else's init key.
  auto other_init = suite_.generate_hpke_key_pair();
  ASSERT_TRUE(other_init.ok());
  KeyPackage other = key_package_;
  other.init_key = other_init->public_key().bytes();
  auto theirs = encrypt_group_secrets(suite_, other, welcome.encrypted_group_info, group_secrets_);
  ASSERT_TRUE(theirs.ok());
  welcome.secrets.back().encrypted_group_secrets = theirs->encrypted_group_secrets;
  expect_error(process(welcome), Errc::decrypt_failed, "MLS-V-WEL-003");

  // The encrypted GroupInfo is the HPKE context: changing it breaks the secrets.
  Welcome changed = build();
  changed.encrypted_group_info.back() ^= 1;
  expect_error(process(changed), Errc::decrypt_failed, "MLS-V-WEL-003");

  // Garbage kem_output.
  Welcome garbage = build();
  garbage.secrets.back().encrypted_group_secrets.kem_output = Bytes{1, 2, 3};
  expect_error(process(garbage), Errc::decrypt_failed, "MLS-V-WEL-003");
}

TEST_F(WelcomeTest, MissingPskIsRefused) {  // MLS-V-WEL-004
  group_secrets_.psks = {external_psk(1)};
  const Welcome welcome = build();
  joiner_has_psks_ = false;
  expect_error(process(welcome), Errc::missing_psk, "MLS-V-WEL-004");
  auto no_lookup = process_welcome(welcome, key_package_, *init_priv_, nullptr, signer_lookup());
  expect_error(no_lookup, Errc::missing_psk, "MLS-V-WEL-004");
}

TEST_F(WelcomeTest, TwoReinitOrBranchPsksAreRefused) {  // MLS-V-WEL-005
  context_.epoch = 1;
  group_secrets_.psks = {resumption_psk(ResumptionPSKUsage::reinit, 1),
                         resumption_psk(ResumptionPSKUsage::branch, 2)};
  expect_error(process(build()), Errc::invalid_psk, "MLS-V-WEL-005");
  // One of them alone is fine (in epoch 1).
  group_secrets_.psks = {resumption_psk(ResumptionPSKUsage::branch, 2), external_psk(3)};
  auto got = process(build());
  EXPECT_TRUE(got.ok()) << got.error().to_string();
}

TEST_F(WelcomeTest, GroupInfoUnderAnotherKeyIsRefused) {  // MLS-V-WEL-006
  group_info_joiner_secret_ = SecretBytes(Bytes(32, 0x4b));
  expect_error(process(build()), Errc::decrypt_failed, "MLS-V-WEL-006");
}

TEST_F(WelcomeTest, BadGroupInfoSignatureIsRefused) {  // MLS-V-WEL-007
  const Welcome welcome = build();
  auto other = suite_.generate_signature_key();
  ASSERT_TRUE(other.ok());
  const Bytes other_pub = other->public_key().bytes();
  auto wrong_key = process_welcome(welcome, key_package_, *init_priv_, psk_lookup(),
                                   [&](const GroupInfo&) -> Result<Bytes> { return other_pub; });
  expect_error(wrong_key, Errc::invalid_signature, "MLS-V-WEL-007");
  auto blank_signer = process_welcome(
      welcome, key_package_, *init_priv_, psk_lookup(),
      [](const GroupInfo&) -> Result<Bytes> { return Error(Errc::unknown_sender); });
  expect_error(blank_signer, Errc::invalid_signature, "MLS-V-WEL-007");
}

TEST_F(WelcomeTest, GroupInfoOfAnotherCipherSuiteIsRefused) {  // MLS-V-WEL-008
  info_suite_ = CipherSuiteId::mls_128_dhkemx25519_chacha20poly1305_sha256_ed25519;
  expect_error(process(build()), Errc::cipher_suite_mismatch, "MLS-V-WEL-008");
}

TEST_F(WelcomeTest, ReinitPskOutsideEpochOneIsRefused) {  // MLS-V-WEL-009
  context_.epoch = 2;
  group_secrets_.psks = {resumption_psk(ResumptionPSKUsage::reinit, 1)};
  expect_error(process(build()), Errc::invalid_psk, "MLS-V-WEL-009");
  context_.epoch = 1;
  EXPECT_TRUE(process(build()).ok());
}

TEST_F(WelcomeTest, BadConfirmationTagIsRefused) {  // MLS-V-TH-001
  tamper_confirmation_tag_ = true;
  expect_error(process(build()), Errc::mac_mismatch, "MLS-V-TH-001");
}

TEST_F(WelcomeTest, StepsCanBeRunOneByOne) {
  const Welcome welcome = build();
  const KeyPackageRef ref = suite_.make_key_package_ref(encode(key_package_));
  const EncryptedGroupSecrets* mine = find_group_secrets(welcome, ref);
  ASSERT_NE(mine, nullptr);
  EXPECT_EQ(mine, &welcome.secrets.back());
  EXPECT_EQ(find_group_secrets(welcome, Bytes(32, 0)), nullptr);
  auto secrets = decrypt_group_secrets(suite_, *mine, welcome.encrypted_group_info, *init_priv_);
  ASSERT_TRUE(secrets.ok());
  auto psk = welcome_psk_secret(suite_, *secrets, psk_lookup());
  ASSERT_TRUE(psk.ok());
  auto info = decrypt_group_info(suite_, secrets->joiner_secret.view(), psk->view(),
                                 welcome.encrypted_group_info);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(verify_group_info_signature(suite_, *info, signer_->public_key().bytes()).ok());
  info->signer = LeafIndex{1};  // the signature covers the signer
  EXPECT_FALSE(verify_group_info_signature(suite_, *info, signer_->public_key().bytes()).ok());
}

}  // namespace
}  // namespace conclave::mls
