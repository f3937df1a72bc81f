#include "conclave/mls/key_schedule.h"

#include <limits>
#include <utility>

namespace conclave::mls {

namespace {

constexpr std::string_view kExternalInitLabel = "MLS 1.0 external init secret";

// An empty secret stands for the all-zero string of length Nh ("0" in the
// RFC's diagrams).
SecretBytes or_zero(const CipherSuite& suite, BytesView secret) {
  return secret.empty() ? SecretBytes(suite.hash_size()) : SecretBytes(secret);
}

// The GroupContext must be of the suite the schedule runs with.
Status check_context(const CipherSuite& suite, const GroupContext& group_context) {
  if (group_context.cipher_suite != suite.id()) {
    return Error(Errc::invalid_argument, "GroupContext of another cipher suite");
  }
  return {};
}

}  // namespace

Result<SecretBytes> KeySchedule::psk_secret(const CipherSuite& suite,
                                            std::span<const PskWithSecret> psks) {
  if (psks.size() > std::numeric_limits<uint16_t>::max()) {
    return Error(Errc::invalid_argument, "more than 65535 PSKs");
  }
  const auto count = static_cast<uint16_t>(psks.size());
  SecretBytes secret(suite.hash_size());  // psk_secret_[0] = 0
  for (uint16_t i = 0; i < count; ++i) {
    const PskWithSecret& p = psks[i];
    // psk_extracted_[i] = KDF.Extract(0, psk_[i])
    const SecretBytes extracted = suite.extract({}, p.psk.view());
    // psk_input_[i] = ExpandWithLabel(psk_extracted_[i], "derived psk", PSKLabel, KDF.Nh)
    const Bytes label = encode(PSKLabel{p.id, i, count});
    CV_TRY(const SecretBytes input,
           suite.expand_with_label(extracted.view(), "derived psk", label, suite.hash_size()));
    // psk_secret_[i+1] = KDF.Extract(psk_input_[i], psk_secret_[i])
    secret = suite.extract(input.view(), secret.view());
  }
  return secret;
}

Result<SecretBytes> KeySchedule::joiner_secret(const CipherSuite& suite, BytesView init_secret,
                                               BytesView commit_secret,
                                               const GroupContext& group_context) {
  CV_TRY_STATUS(check_context(suite, group_context));
  const SecretBytes commit = or_zero(suite, commit_secret);
  const SecretBytes prk = suite.extract(init_secret, commit.view());
  return suite.expand_with_label(prk.view(), "joiner", encode(group_context), suite.hash_size());
}

Result<SecretBytes> KeySchedule::welcome_secret(const CipherSuite& suite, BytesView joiner_secret,
                                                BytesView psk_secret) {
  const SecretBytes psk = or_zero(suite, psk_secret);
  const SecretBytes member = suite.extract(joiner_secret, psk.view());
  return suite.derive_secret(member.view(), "welcome");
}

Result<KeyAndNonce> KeySchedule::welcome_key_nonce(const CipherSuite& suite,
                                                   BytesView welcome_secret) {
  KeyAndNonce out;
  CV_TRY(out.key, suite.expand_with_label(welcome_secret, "key", {}, suite.key_size()));
  CV_TRY(out.nonce, suite.expand_with_label(welcome_secret, "nonce", {}, suite.nonce_size()));
  return out;
}

Result<KeySchedule> KeySchedule::from_init_secret(const CipherSuite& suite, BytesView init_secret,
                                                  BytesView commit_secret, BytesView psk_secret,
                                                  const GroupContext& group_context) {
  CV_TRY(const SecretBytes joiner, joiner_secret(suite, init_secret, commit_secret, group_context));
  return from_joiner_secret(suite, joiner.view(), psk_secret, group_context);
}

Result<KeySchedule> KeySchedule::from_joiner_secret(const CipherSuite& suite,
                                                    BytesView joiner_secret, BytesView psk_secret,
                                                    const GroupContext& group_context) {
  CV_TRY_STATUS(check_context(suite, group_context));
  KeySchedule ks(suite);
  ks.joiner_secret_ = SecretBytes(joiner_secret);
  const SecretBytes psk = or_zero(suite, psk_secret);
  const SecretBytes member = suite.extract(joiner_secret, psk.view());
  CV_TRY(ks.welcome_secret_, suite.derive_secret(member.view(), "welcome"));
  CV_TRY(const SecretBytes epoch,
         suite.expand_with_label(member.view(), "epoch", encode(group_context), suite.hash_size()));
  const BytesView e = epoch.view();
  CV_TRY(ks.sender_data_secret_, suite.derive_secret(e, "sender data"));
  CV_TRY(ks.encryption_secret_, suite.derive_secret(e, "encryption"));
  CV_TRY(ks.exporter_secret_, suite.derive_secret(e, "exporter"));
  CV_TRY(ks.external_secret_, suite.derive_secret(e, "external"));
  CV_TRY(ks.confirmation_key_, suite.derive_secret(e, "confirm"));
  CV_TRY(ks.membership_key_, suite.derive_secret(e, "membership"));
  CV_TRY(ks.resumption_psk_, suite.derive_secret(e, "resumption"));
  CV_TRY(ks.epoch_authenticator_, suite.derive_secret(e, "authentication"));
  CV_TRY(ks.init_secret_, suite.derive_secret(e, "init"));
  return ks;
}

Result<ExternalInitSecret> KeySchedule::external_init(const CipherSuite& suite,
                                                      BytesView external_pub) {
  CV_TRY(const crypto::DhPublicKey pk, suite.import_hpke_public_key(external_pub));
  CV_TRY(crypto::HpkeSenderSetup setup, suite.hpke().setup_sender(pk, {}));
  ExternalInitSecret out;
  CV_TRY(out.init_secret,
         setup.context.export_secret(as_bytes(kExternalInitLabel), suite.hash_size()));
  out.kem_output = std::move(setup.enc);
  return out;
}

Result<SecretBytes> KeySchedule::export_secret(std::string_view label, BytesView context,
                                               size_t length) const {
  CV_TRY(const SecretBytes derived, suite_.derive_secret(exporter_secret_.view(), label));
  return suite_.expand_with_label(derived.view(), "exported", suite_.hash(context), length);
}

Result<crypto::DhPrivateKey> KeySchedule::external_key_pair() const {
  return suite_.derive_hpke_key_pair(external_secret_.view());
}

Result<SecretBytes> KeySchedule::external_init_secret(BytesView kem_output) const {
  CV_TRY(const crypto::DhPrivateKey external_priv, external_key_pair());
  CV_TRY(const crypto::HpkeContext context,
         suite_.hpke().setup_receiver(kem_output, external_priv, {}));
  return context.export_secret(as_bytes(kExternalInitLabel), suite_.hash_size());
}

Result<KeyAndNonce> KeySchedule::welcome_key_nonce() const {
  return welcome_key_nonce(suite_, welcome_secret_.view());
}

}  // namespace conclave::mls
