// KeySchedule: the secrets of one epoch (RFC 9420 section 8), the PSK
// combination (8.4), external initialisation (8.3), the exporter (8.5) and
// the Welcome key and nonce (12.4.3.1).
//
//   init_secret[n-1]    commit_secret
//          └── Extract ──┘
//                 │ ExpandWithLabel("joiner", GroupContext[n])
//            joiner_secret            psk_secret (or 0)
//                 └────── Extract ──────┘
//                            ├── DeriveSecret("welcome") = welcome_secret
//                            │ ExpandWithLabel("epoch", GroupContext[n])
//                       epoch_secret ── DeriveSecret(label) = sender_data_secret,
//                            │            encryption_secret, exporter_secret,
//                            │            external_secret, confirmation_key,
//                            │            membership_key, resumption_psk,
//                            │            epoch_authenticator
//                            └── DeriveSecret("init") = init_secret[n]
//
// A member that processes or creates a Commit calls from_init_secret(); a
// joiner first derives welcome_secret() to open the GroupInfo, then calls
// from_joiner_secret() with the GroupContext it found there. The
// epoch_secret itself is consumed during construction and never stored.
// Functions taking a GroupContext refuse one of another cipher suite
// (Errc::invalid_argument).
// A KeySchedule is immutable once built.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/crypto/dh.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/group_context.h"
#include "conclave/mls/psk.h"

namespace conclave::mls {

// One PSK injected into an epoch: its identifier and its value.
struct PskWithSecret {
  PreSharedKeyID id;
  SecretBytes psk;
};

// What a new member joining by external commit sends (the ExternalInit
// proposal's kem_output) and the init_secret it derived.
struct ExternalInitSecret {
  Bytes kem_output;
  SecretBytes init_secret;
};

class KeySchedule {
 public:
  // Section 8.4: psk_secret from the PSKs in order (index/count in each
  // PSKLabel); Nh zero bytes when there are none. Errc::invalid_argument
  // for more than 65535 PSKs.
  static Result<SecretBytes> psk_secret(const CipherSuite& suite,
                                        std::span<const PskWithSecret> psks);

  // ExpandWithLabel(Extract(init_secret, commit_secret), "joiner",
  // GroupContext, Nh). An empty commit_secret stands for Nh zero bytes.
  static Result<SecretBytes> joiner_secret(const CipherSuite& suite, BytesView init_secret,
                                           BytesView commit_secret,
                                           const GroupContext& group_context);
  // DeriveSecret(Extract(joiner_secret, psk_secret), "welcome"). An empty
  // psk_secret stands for Nh zero bytes.
  static Result<SecretBytes> welcome_secret(const CipherSuite& suite, BytesView joiner_secret,
                                            BytesView psk_secret);
  // Section 12.4.3.1: welcome_key and welcome_nonce from welcome_secret.
  static Result<KeyAndNonce> welcome_key_nonce(const CipherSuite& suite, BytesView welcome_secret);

  // The whole schedule of an epoch from the previous init_secret.
  static Result<KeySchedule> from_init_secret(const CipherSuite& suite, BytesView init_secret,
                                              BytesView commit_secret, BytesView psk_secret,
                                              const GroupContext& group_context);
  // The schedule of an epoch joined through a Welcome.
  static Result<KeySchedule> from_joiner_secret(const CipherSuite& suite, BytesView joiner_secret,
                                                BytesView psk_secret,
                                                const GroupContext& group_context);

  // Section 8.3, joiner side: SetupBaseS(external_pub, "") and
  // export("MLS 1.0 external init secret", Nh).
  static Result<ExternalInitSecret> external_init(const CipherSuite& suite, BytesView external_pub);

  const CipherSuite& suite() const { return suite_; }

  const SecretBytes& joiner_secret() const { return joiner_secret_; }
  const SecretBytes& welcome_secret() const { return welcome_secret_; }
  const SecretBytes& sender_data_secret() const { return sender_data_secret_; }
  const SecretBytes& encryption_secret() const { return encryption_secret_; }
  const SecretBytes& exporter_secret() const { return exporter_secret_; }
  const SecretBytes& external_secret() const { return external_secret_; }
  const SecretBytes& confirmation_key() const { return confirmation_key_; }
  const SecretBytes& membership_key() const { return membership_key_; }
  const SecretBytes& resumption_psk() const { return resumption_psk_; }
  const SecretBytes& epoch_authenticator() const { return epoch_authenticator_; }
  // init_secret[n]: the input of the next epoch's schedule.
  const SecretBytes& init_secret() const { return init_secret_; }

  // MLS-Exporter(label, context, length) = ExpandWithLabel(
  //   DeriveSecret(exporter_secret, label), "exported", Hash(context), length).
  // Errc::invalid_length when length > 65535 or 255 * Nh.
  Result<SecretBytes> export_secret(std::string_view label, BytesView context, size_t length) const;
  // external_priv, external_pub = KEM.DeriveKeyPair(external_secret).
  Result<crypto::DhPrivateKey> external_key_pair() const;
  // Section 8.3, member side: the init_secret for the next epoch from an
  // ExternalInit proposal's kem_output.
  Result<SecretBytes> external_init_secret(BytesView kem_output) const;
  // welcome_key_nonce(suite(), welcome_secret()).
  Result<KeyAndNonce> welcome_key_nonce() const;

 private:
  explicit KeySchedule(const CipherSuite& suite) : suite_(suite) {}

  CipherSuite suite_;
  SecretBytes joiner_secret_;
  SecretBytes welcome_secret_;
  SecretBytes sender_data_secret_;
  SecretBytes encryption_secret_;
  SecretBytes exporter_secret_;
  SecretBytes external_secret_;
  SecretBytes confirmation_key_;
  SecretBytes membership_key_;
  SecretBytes resumption_psk_;
  SecretBytes epoch_authenticator_;
  SecretBytes init_secret_;
};

}  // namespace conclave::mls
