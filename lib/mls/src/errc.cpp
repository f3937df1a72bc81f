#include "conclave/mls/errc.h"

namespace conclave::mls {

std::string_view error_domain(Errc) {
  return "mls";
}

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::unsupported_cipher_suite:
      return "unsupported cipher suite";
    case Errc::invalid_length:
      return "requested length out of range";
    case Errc::invalid_argument:
      return "argument out of range";
    case Errc::key_mismatch:
      return "key of the wrong algorithm for the cipher suite";
    case Errc::mac_mismatch:
      return "MAC mismatch";
    case Errc::invalid_leaf_index:
      return "leaf index outside the tree";
    case Errc::generation_too_far:
      return "generation too far ahead of the ratchet";
    case Errc::generation_consumed:
      return "generation already consumed or expired";
    case Errc::generation_exhausted:
      return "sender ratchet exhausted";
    case Errc::wrong_group:
      return "message for another group";
    case Errc::wrong_epoch:
      return "message for another epoch";
    case Errc::invalid_signature:
      return "signature does not verify";
    case Errc::unknown_sender:
      return "sender is not a member of the group";
    case Errc::invalid_padding:
      return "non-zero padding";
    case Errc::invalid_wire_format:
      return "content not allowed in this wire format";
    case Errc::invalid_sender:
      return "sender type not allowed for this content";
    case Errc::decrypt_failed:
      return "decryption failed";
    case Errc::no_matching_key_package:
      return "no entry for our KeyPackage in the Welcome";
    case Errc::cipher_suite_mismatch:
      return "cipher suite mismatch";
    case Errc::missing_psk:
      return "pre-shared key not available";
    case Errc::invalid_psk:
      return "disallowed pre-shared key combination";
    case Errc::invalid_tree:
      return "invalid ratchet tree";
    case Errc::parent_hash_mismatch:
      return "parent hash mismatch";
    case Errc::invalid_leaf_signature:
      return "invalid leaf node signature";
    case Errc::invalid_update_path:
      return "invalid update path";
    case Errc::invalid_proposal:
      return "invalid proposal";
    case Errc::unknown_proposal:
      return "unknown proposal reference";
    case Errc::invalid_commit:
      return "invalid commit";
    case Errc::tree_hash_mismatch:
      return "tree hash mismatch";
    case Errc::not_a_member:
      return "not a member of the group";
    case Errc::invalid_credential:
      return "credential refused by the authentication service";
    case Errc::incompatible_capabilities:
      return "capabilities incompatible with the group";
    case Errc::invalid_lifetime:
      return "leaf node lifetime not acceptable";
    case Errc::invalid_leaf_node:
      return "invalid leaf node";
    case Errc::invalid_key_package:
      return "invalid key package";
  }
  return "unknown mls error";
}

}  // namespace conclave::mls
