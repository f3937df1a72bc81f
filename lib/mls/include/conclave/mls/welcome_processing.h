// Welcome processing (RFC 9420 section 12.4.3.1): what a new member does
// with a Welcome before it needs the ratchet tree, and the matching sender
// side used by a committer.
//
//   Welcome.secrets ── find the entry for KeyPackageRef(my KeyPackage)
//        │ DecryptWithLabel(init_priv, "Welcome", encrypted_group_info, ...)
//   GroupSecrets {joiner_secret, path_secret?, psks}
//        │ psk_secret (section 8.4) from the PSKs the caller holds (none: zeros)
//   welcome_secret ── welcome_key, welcome_nonce
//        │ AEAD open encrypted_group_info (empty AAD)
//   GroupInfo ── signature by GroupInfo.signer (key from the caller)
//        │ KeySchedule::from_joiner_secret(joiner_secret, psk_secret, group_context)
//   confirmation_tag == MAC(confirmation_key, confirmed_transcript_hash)
//
// process_welcome() runs every step; the steps are public for callers that
// interleave their own (the group layer checks the ratchet tree between
// the GroupInfo signature and the key schedule). Building the group state
// (tree, own leaf, path secrets) is the group layer's job.
//
// Receiver checks, each failing with its rule ID as Error::detail()
// (docs/mls-validation-rules.md):
//   MLS-V-WEL-001 the Welcome's cipher suite is the KeyPackage's
//   MLS-V-WEL-002 secrets has an entry for our KeyPackageRef
//   MLS-V-WEL-003 the GroupSecrets decrypt with our init key
//   MLS-V-WEL-004 we hold every PSK the GroupSecrets name
//   MLS-V-WEL-005 at most one resumption PSK of usage reinit or branch
//   MLS-V-WEL-006 the GroupInfo decrypts with the welcome key and nonce
//   MLS-V-WEL-007 the GroupInfo signature verifies with the signer's key
//   MLS-V-WEL-008 the GroupInfo's cipher suite is the KeyPackage's
//   MLS-V-WEL-009 with a reinit or branch PSK, the GroupInfo epoch is 1
//   MLS-V-TH-001  the confirmation tag matches (verify_confirmation_tag)
// Malformed plaintexts (GroupSecrets, GroupInfo) fail with the codec's
// error. Nothing here throws or aborts on hostile input.
#pragma once

#include <functional>
#include <optional>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/crypto/dh.h"
#include "conclave/crypto/signature.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/group_info.h"
#include "conclave/mls/key_package.h"
#include "conclave/mls/key_schedule.h"
#include "conclave/mls/psk.h"
#include "conclave/mls/transcript_hash.h"
#include "conclave/mls/welcome.h"

namespace conclave::mls {

// The value of a PSK named in GroupSecrets (external, or the resumption PSK
// of an earlier epoch), or nullopt when the client does not hold it.
using PskLookup = std::function<std::optional<SecretBytes>(const PreSharedKeyID& id)>;
// The signature public key (wire form) of the LeafNode at group_info.signer
// in the group's ratchet tree (which may come in group_info.extensions); an
// error when that leaf is blank or unknown.
using GroupInfoSignerLookup = std::function<Result<Bytes>(const GroupInfo& group_info)>;

// What a joiner has once the Welcome checks out.
struct ProcessedWelcome {
  GroupSecrets group_secrets;  // joiner_secret, path_secret, PSK ids
  GroupInfo group_info;        // signature and confirmation tag verified
  SecretBytes psk_secret;
  KeySchedule key_schedule;            // the epoch of group_info.group_context
  TranscriptHashes transcript_hashes;  // confirmed from the GroupInfo, interim from its tag
};

// Every step below, in order. `key_package` is the bare KeyPackage (its
// ref is computed over its encoding), `init_priv` the private key of its
// init_key. Errors as listed above.
Result<ProcessedWelcome> process_welcome(const Welcome& welcome, const KeyPackage& key_package,
                                         const crypto::DhPrivateKey& init_priv,
                                         const PskLookup& psks,
                                         const GroupInfoSignerLookup& signer_key);

// ------------------------------------------------------------- the steps

// The entry whose new_member is `ref`, or nullptr (MLS-V-WEL-002 is the
// caller's to report).
const EncryptedGroupSecrets* find_group_secrets(const Welcome& welcome, BytesView ref);

// DecryptWithLabel(init_priv, "Welcome", encrypted_group_info, kem_output,
// ciphertext), decoded. Errc::decrypt_failed (MLS-V-WEL-003).
Result<GroupSecrets> decrypt_group_secrets(const CipherSuite& suite,
                                           const EncryptedGroupSecrets& secrets,
                                           BytesView encrypted_group_info,
                                           const crypto::DhPrivateKey& init_priv);

// psk_secret of the PSKs named in `group_secrets`, in order; Nh zero bytes
// when there are none. MLS-V-WEL-004, MLS-V-WEL-005.
Result<SecretBytes> welcome_psk_secret(const CipherSuite& suite, const GroupSecrets& group_secrets,
                                       const PskLookup& psks);

// Opens encrypted_group_info with the key and nonce from welcome_secret =
// DeriveSecret(Extract(joiner_secret, psk_secret), "welcome") and decodes
// it. Errc::decrypt_failed (MLS-V-WEL-006).
Result<GroupInfo> decrypt_group_info(const CipherSuite& suite, BytesView joiner_secret,
                                     BytesView psk_secret, BytesView encrypted_group_info);

// VerifyWithLabel(signer_key, "GroupInfoTBS", GroupInfoTBS, signature).
// Errc::invalid_signature (MLS-V-WEL-007).
Status verify_group_info_signature(const CipherSuite& suite, const GroupInfo& group_info,
                                   BytesView signer_key);

// --------------------------------------------- the committer's side

// group_info.signature = SignWithLabel(key, "GroupInfoTBS", GroupInfoTBS).
Status sign_group_info(const CipherSuite& suite, GroupInfo& group_info,
                       const crypto::SignaturePrivateKey& key);
// The encrypted_group_info of a Welcome.
Result<Bytes> encrypt_group_info(const CipherSuite& suite, BytesView joiner_secret,
                                 BytesView psk_secret, const GroupInfo& group_info);
// The entry of one new member: EncryptWithLabel(init_key, "Welcome",
// encrypted_group_info, GroupSecrets) under the ref of its KeyPackage.
Result<EncryptedGroupSecrets> encrypt_group_secrets(const CipherSuite& suite,
                                                    const KeyPackage& key_package,
                                                    BytesView encrypted_group_info,
                                                    const GroupSecrets& group_secrets);

}  // namespace conclave::mls
