#include "conclave/mls/welcome_processing.h"

#include <utility>
#include <vector>

#include "conclave/crypto/aead.h"

namespace conclave::mls {

namespace {

constexpr std::string_view kWelcomeLabel = "Welcome";
constexpr std::string_view kGroupInfoTbsLabel = "GroupInfoTBS";

bool is_reinit_or_branch(const PreSharedKeyID& id) {
  const auto* resumption = std::get_if<ResumptionPSK>(&id.content);
  return resumption != nullptr && (resumption->usage == ResumptionPSKUsage::reinit ||
                                   resumption->usage == ResumptionPSKUsage::branch);
}

Result<KeyAndNonce> welcome_key(const CipherSuite& suite, BytesView joiner_secret,
                                BytesView psk_secret) {
  CV_TRY(const SecretBytes welcome_secret,
         KeySchedule::welcome_secret(suite, joiner_secret, psk_secret));
  return KeySchedule::welcome_key_nonce(suite, welcome_secret.view());
}

}  // namespace

const EncryptedGroupSecrets* find_group_secrets(const Welcome& welcome, BytesView ref) {
  for (const auto& entry : welcome.secrets) {
    if (equal(entry.new_member, ref)) return &entry;
  }
  return nullptr;
}

Result<GroupSecrets> decrypt_group_secrets(const CipherSuite& suite,
                                           const EncryptedGroupSecrets& secrets,
                                           BytesView encrypted_group_info,
                                           const crypto::DhPrivateKey& init_priv) {
  auto plaintext = suite.decrypt_with_label(init_priv, kWelcomeLabel, encrypted_group_info,
                                            secrets.encrypted_group_secrets.kem_output,
                                            secrets.encrypted_group_secrets.ciphertext);
  if (!plaintext.ok()) return Error(Errc::decrypt_failed, "MLS-V-WEL-003");
  const SecretBytes encoded = SecretBytes::adopt(std::move(plaintext).value());
  return decode_group_secrets(encoded.view());
}

Result<SecretBytes> welcome_psk_secret(const CipherSuite& suite, const GroupSecrets& group_secrets,
                                       const PskLookup& psks) {
  size_t reinit_or_branch = 0;
  for (const auto& id : group_secrets.psks) {
    if (is_reinit_or_branch(id)) ++reinit_or_branch;
  }
  if (reinit_or_branch > 1) return Error(Errc::invalid_psk, "MLS-V-WEL-005");

  std::vector<PskWithSecret> values;
  values.reserve(group_secrets.psks.size());
  for (const auto& id : group_secrets.psks) {
    std::optional<SecretBytes> value = psks ? psks(id) : std::nullopt;
    if (!value.has_value()) return Error(Errc::missing_psk, "MLS-V-WEL-004");
    values.push_back(PskWithSecret{id, std::move(*value)});
  }
  return KeySchedule::psk_secret(suite, values);
}

Result<GroupInfo> decrypt_group_info(const CipherSuite& suite, BytesView joiner_secret,
                                     BytesView psk_secret, BytesView encrypted_group_info) {
  CV_TRY(const KeyAndNonce key, welcome_key(suite, joiner_secret, psk_secret));
  CV_TRY(const crypto::Aead aead, crypto::Aead::create(suite.aead_id(), key.key.view()));
  auto plaintext = aead.open(key.nonce.view(), BytesView{}, encrypted_group_info);
  if (!plaintext.ok()) return Error(Errc::decrypt_failed, "MLS-V-WEL-006");
  return decode_group_info(*plaintext);
}

Status verify_group_info_signature(const CipherSuite& suite, const GroupInfo& group_info,
                                   BytesView signer_key) {
  const Bytes tbs = encode_group_info_tbs(group_info);
  if (!suite.verify_with_label(signer_key, kGroupInfoTbsLabel, tbs, group_info.signature).ok()) {
    return Error(Errc::invalid_signature, "MLS-V-WEL-007");
  }
  return {};
}

Result<ProcessedWelcome> process_welcome(const Welcome& welcome, const KeyPackage& key_package,
                                         const crypto::DhPrivateKey& init_priv,
                                         const PskLookup& psks,
                                         const GroupInfoSignerLookup& signer_key) {
  if (welcome.cipher_suite != key_package.cipher_suite) {
    return Error(Errc::cipher_suite_mismatch, "MLS-V-WEL-001");
  }
  CV_TRY(const CipherSuite suite, CipherSuite::create(welcome.cipher_suite));

  const KeyPackageRef ref = suite.make_key_package_ref(encode(key_package));
  const EncryptedGroupSecrets* mine = find_group_secrets(welcome, ref);
  if (mine == nullptr) return Error(Errc::no_matching_key_package, "MLS-V-WEL-002");

  CV_TRY(GroupSecrets group_secrets,
         decrypt_group_secrets(suite, *mine, welcome.encrypted_group_info, init_priv));
  CV_TRY(SecretBytes psk_secret, welcome_psk_secret(suite, group_secrets, psks));
  CV_TRY(GroupInfo group_info, decrypt_group_info(suite, group_secrets.joiner_secret.view(),
                                                  psk_secret.view(), welcome.encrypted_group_info));

  CV_CHECK(signer_key);
  auto signer = signer_key(group_info);
  if (!signer.ok()) return Error(Errc::invalid_signature, "MLS-V-WEL-007");
  CV_TRY_STATUS(verify_group_info_signature(suite, group_info, *signer));

  const GroupContext& context = group_info.group_context;
  if (context.cipher_suite != key_package.cipher_suite) {
    return Error(Errc::cipher_suite_mismatch, "MLS-V-WEL-008");
  }
  bool reinit_or_branch = false;
  for (const auto& id : group_secrets.psks) reinit_or_branch |= is_reinit_or_branch(id);
  if (reinit_or_branch && context.epoch != 1) return Error(Errc::invalid_psk, "MLS-V-WEL-009");

  CV_TRY(KeySchedule key_schedule,
         KeySchedule::from_joiner_secret(suite, group_secrets.joiner_secret.view(),
                                         psk_secret.view(), context));
  CV_TRY_STATUS(verify_confirmation_tag(suite, key_schedule.confirmation_key().view(),
                                        context.confirmed_transcript_hash,
                                        group_info.confirmation_tag));
  TranscriptHashes hashes = TranscriptHashes::with_tag(suite, context.confirmed_transcript_hash,
                                                       group_info.confirmation_tag);
  return ProcessedWelcome{std::move(group_secrets), std::move(group_info), std::move(psk_secret),
                          std::move(key_schedule), std::move(hashes)};
}

Status sign_group_info(const CipherSuite& suite, GroupInfo& group_info,
                       const crypto::SignaturePrivateKey& key) {
  const Bytes tbs = encode_group_info_tbs(group_info);
  CV_TRY(group_info.signature, suite.sign_with_label(key, kGroupInfoTbsLabel, tbs));
  return {};
}

Result<Bytes> encrypt_group_info(const CipherSuite& suite, BytesView joiner_secret,
                                 BytesView psk_secret, const GroupInfo& group_info) {
  CV_TRY(const KeyAndNonce key, welcome_key(suite, joiner_secret, psk_secret));
  CV_TRY(const crypto::Aead aead, crypto::Aead::create(suite.aead_id(), key.key.view()));
  return aead.seal(key.nonce.view(), BytesView{}, encode(group_info));
}

Result<EncryptedGroupSecrets> encrypt_group_secrets(const CipherSuite& suite,
                                                    const KeyPackage& key_package,
                                                    BytesView encrypted_group_info,
                                                    const GroupSecrets& group_secrets) {
  if (key_package.cipher_suite != suite.id()) {
    return Error(Errc::cipher_suite_mismatch, "KeyPackage of another cipher suite");
  }
  const SecretBytes plaintext = encode(group_secrets);
  CV_TRY(crypto::HpkeSealed sealed,
         suite.encrypt_with_label(key_package.init_key, kWelcomeLabel, encrypted_group_info,
                                  plaintext.view()));
  EncryptedGroupSecrets out;
  out.new_member = suite.make_key_package_ref(encode(key_package));
  out.encrypted_group_secrets.kem_output = std::move(sealed.enc);
  out.encrypted_group_secrets.ciphertext = std::move(sealed.ct);
  return out;
}

}  // namespace conclave::mls
