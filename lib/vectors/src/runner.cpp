#include "conclave/vectors/runner.h"

#include <nlohmann/json.hpp>

namespace conclave::vectors {

std::string_view error_domain(Errc) { return "vectors"; }

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::unknown_kind: return "unknown vector kind";
    case Errc::unrecognised_file: return "file is not a known vector format; name it with --kind";
  }
  return "unknown vectors error";
}

namespace {

struct KindName {
  Kind kind;
  std::string_view name;
};

constexpr KindName kKinds[] = {
    {Kind::hpke, "hpke"},
    {Kind::sframe, "sframe"},
    {Kind::sframe_per_ssrc, "sframe-per-ssrc"},
    {Kind::mls_deserialization, "mls-deserialization"},
    {Kind::mls_tree_math, "mls-tree-math"},
    {Kind::mls_messages, "mls-messages"},
    {Kind::mls_crypto_basics, "mls-crypto-basics"},
    {Kind::mls_secret_tree, "mls-secret-tree"},
    {Kind::mls_key_schedule, "mls-key-schedule"},
    {Kind::mls_psk_secret, "mls-psk-secret"},
    {Kind::mls_transcript_hashes, "mls-transcript-hashes"},
    {Kind::mls_tree_validation, "mls-tree-validation"},
    {Kind::mls_tree_operations, "mls-tree-operations"},
    {Kind::mls_treekem, "mls-treekem"},
    {Kind::mls_message_protection, "mls-message-protection"},
    {Kind::mls_welcome, "mls-welcome"},
    {Kind::mls_passive_client, "mls-passive-client"},
};

bool is_object_with(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key);
}

}  // namespace

std::string_view kind_name(Kind k) {
  for (const auto& kn : kKinds) {
    if (kn.kind == k) return kn.name;
  }
  return "unknown";
}

std::vector<std::string_view> kind_names() {
  std::vector<std::string_view> out;
  for (const auto& kn : kKinds) out.push_back(kn.name);
  return out;
}

Result<Kind> parse_kind(std::string_view name) {
  for (const auto& kn : kKinds) {
    if (kn.name == name) return kn.kind;
  }
  return Error(Errc::unknown_kind);
}

Result<Kind> detect_kind(const nlohmann::json& doc) {
  // SFrame files are objects keyed by section.
  if (doc.is_object()) {
    if (doc.contains("header") || doc.contains("sframe") || doc.contains("aes_ctr_hmac") ||
        doc.contains("sframe_aes_256_ctr_hmac")) {
      return Kind::sframe;
    }
    if (doc.contains("sframe_per_ssrc_key_derivation")) return Kind::sframe_per_ssrc;
    return Error(Errc::unrecognised_file);
  }
  // HPKE and MLS files are arrays of cases; the first case tells which.
  if (!doc.is_array() || doc.empty()) return Error(Errc::unrecognised_file);
  const auto& first = doc.front();
  if (is_object_with(first, "kem_id") && is_object_with(first, "mode")) return Kind::hpke;
  if (is_object_with(first, "vlbytes_header")) return Kind::mls_deserialization;
  if (is_object_with(first, "n_leaves") && is_object_with(first, "sibling")) {
    return Kind::mls_tree_math;
  }
  if (is_object_with(first, "mls_welcome") && is_object_with(first, "public_message_commit")) {
    return Kind::mls_messages;
  }
  if (is_object_with(first, "ref_hash") && is_object_with(first, "expand_with_label")) {
    return Kind::mls_crypto_basics;
  }
  if (is_object_with(first, "encryption_secret") && is_object_with(first, "leaves")) {
    return Kind::mls_secret_tree;
  }
  if (is_object_with(first, "initial_init_secret") && is_object_with(first, "epochs")) {
    return Kind::mls_key_schedule;
  }
  if (is_object_with(first, "psks") && is_object_with(first, "psk_secret")) {
    return Kind::mls_psk_secret;
  }
  if (is_object_with(first, "interim_transcript_hash_before") &&
      is_object_with(first, "authenticated_content")) {
    return Kind::mls_transcript_hashes;
  }
  if (is_object_with(first, "tree_hashes") && is_object_with(first, "resolutions")) {
    return Kind::mls_tree_validation;
  }
  if (is_object_with(first, "tree_before") && is_object_with(first, "proposal_sender")) {
    return Kind::mls_tree_operations;
  }
  if (is_object_with(first, "leaves_private") && is_object_with(first, "update_paths")) {
    return Kind::mls_treekem;
  }
  if (is_object_with(first, "membership_key") && is_object_with(first, "application_priv")) {
    return Kind::mls_message_protection;
  }
  if (is_object_with(first, "initial_epoch_authenticator") && is_object_with(first, "epochs")) {
    return Kind::mls_passive_client;
  }
  if (is_object_with(first, "init_priv") && is_object_with(first, "signer_pub") &&
      is_object_with(first, "welcome")) {
    return Kind::mls_welcome;
  }
  return Error(Errc::unrecognised_file);
}

Report run(Kind kind, const nlohmann::json& doc) {
  switch (kind) {
    case Kind::hpke: return check_hpke(doc);
    case Kind::sframe: return check_sframe(doc);
    case Kind::sframe_per_ssrc: return check_sframe_per_ssrc(doc);
    case Kind::mls_deserialization: return check_mls_deserialization(doc);
    case Kind::mls_tree_math: return check_mls_tree_math(doc);
    case Kind::mls_messages: return check_mls_messages(doc);
    case Kind::mls_crypto_basics: return check_mls_crypto_basics(doc);
    case Kind::mls_secret_tree: return check_mls_secret_tree(doc);
    case Kind::mls_key_schedule: return check_mls_key_schedule(doc);
    case Kind::mls_psk_secret: return check_mls_psk_secret(doc);
    case Kind::mls_transcript_hashes: return check_mls_transcript_hashes(doc);
    case Kind::mls_tree_validation: return check_mls_tree_validation(doc);
    case Kind::mls_tree_operations: return check_mls_tree_operations(doc);
    case Kind::mls_treekem: return check_mls_treekem(doc);
    case Kind::mls_message_protection: return check_mls_message_protection(doc);
    case Kind::mls_welcome: return check_mls_welcome(doc);
    case Kind::mls_passive_client: return check_mls_passive_client(doc);
  }
  return {};
}

}  // namespace conclave::vectors
