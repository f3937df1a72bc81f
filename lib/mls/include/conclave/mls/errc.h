// Errors of the MLS layer (domain "mls"). Malformed bytes are codec::Errc
// values and failures inside the crypto provider pass through as
// crypto::Errc / crypto::HpkeErrc; these codes name what MLS itself refuses.
// Validation rules with a stable ID (docs/mls-validation-rules.md) pass the
// ID as the Error detail: Error(Errc::generation_too_far, "MLS-V-ST-002").
//
// Append new codes at the end (values are stable) and give each a message
// in errc.cpp.
#pragma once

#include <string_view>

namespace conclave::mls {

enum class Errc {
  unsupported_cipher_suite = 1,  // a CipherSuite code point we do not implement
  invalid_length,                // a requested output length the KDF cannot give
  invalid_argument,              // a parameter outside its range (tree size, PSK count)
  key_mismatch,                  // a key of another algorithm than the suite's
  mac_mismatch,                  // a MAC (confirmation tag, membership tag) differs
  invalid_leaf_index,            // a leaf index outside the tree
  generation_too_far,            // a generation beyond the secret tree's forward window
  generation_consumed,           // a generation already used, or deleted as too old
  generation_exhausted,          // a sender ratchet reached 2^32 generations
  wrong_group,                   // a message for another group_id
  wrong_epoch,                   // a message of another epoch than the one it is checked in
  invalid_signature,             // a signature (FramedContentTBS, GroupInfoTBS) does not verify
  unknown_sender,                // a sender that is not a member, or has no signature key
  invalid_padding,               // non-zero bytes in PrivateMessageContent padding
  invalid_wire_format,           // content not allowed in this wire format (application data
                                 // in a PublicMessage, a non-member in a PrivateMessage)
  invalid_sender,                // a sender type not allowed for this content type
  decrypt_failed,                // an AEAD or HPKE ciphertext does not open
  no_matching_key_package,       // a Welcome without an entry for our KeyPackage
  cipher_suite_mismatch,         // cipher suites of a Welcome, KeyPackage, GroupInfo differ
  missing_psk,                   // a PSK named in a Welcome that we do not hold
  invalid_psk,                   // a disallowed PSK combination
  invalid_tree,                  // a ratchet tree breaking a structural rule (MLS-V-TREE-*)
  parent_hash_mismatch,          // a parent hash that does not verify
  invalid_leaf_signature,        // a LeafNode signature that does not verify
  invalid_update_path,           // an UpdatePath that does not fit the tree or decrypt
  invalid_proposal,              // a proposal or proposal list breaking a rule (MLS-V-PROP-*)
  unknown_proposal,              // a commit referring to a proposal we have not received
  invalid_commit,                // a commit breaking a rule (MLS-V-COMMIT-*)
  tree_hash_mismatch,            // a GroupInfo whose tree hash differs from the tree's
  not_a_member,                  // an operation that needs membership (we were removed)
  invalid_credential,            // a credential the Authentication Service refuses (MLS-V-CRED-*)
  incompatible_capabilities,     // a leaf and the group (or its members) do not support each other
  invalid_lifetime,              // a LeafNode lifetime that excludes now or is longer than allowed
  invalid_leaf_node,             // a LeafNode breaking a rule of section 7.3 (MLS-V-LEAF-*)
  invalid_key_package,           // a KeyPackage breaking a rule of section 10.1 (MLS-V-KP-*)
};

std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

}  // namespace conclave::mls
