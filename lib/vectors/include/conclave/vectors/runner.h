// The vector runner: checks upstream test-vector files as published
// (RFC 9180 HPKE, RFC 9605 SFrame, the mlswg MLS files). The kind of a file
// is recognised from its content, or given explicitly.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/vectors/report.h"

namespace conclave::vectors {

enum class Kind {
  hpke,                // cfrg HPKE test-vectors.json
  sframe,              // sframe-wg test-vectors.json / test-vectors-aes256.json
  sframe_per_ssrc,     // draft-ietf-avtcore-rtp-sframe per-SSRC key derivation
  mls_deserialization, // mlswg deserialization.json
  mls_tree_math,       // mlswg tree-math.json
  mls_messages,        // mlswg messages.json
  mls_crypto_basics,   // mlswg crypto-basics.json
  mls_secret_tree,     // mlswg secret-tree.json
  mls_key_schedule,    // mlswg key-schedule.json
  mls_psk_secret,      // mlswg psk_secret.json
  mls_transcript_hashes, // mlswg transcript-hashes.json
  mls_tree_validation, // mlswg tree-validation.json
  mls_tree_operations, // mlswg tree-operations.json
  mls_treekem,         // mlswg treekem.json
  mls_message_protection, // mlswg message-protection.json
  mls_welcome,         // mlswg welcome.json
  mls_passive_client,  // mlswg passive-client-{welcome,handling-commit,random}.json
};

enum class Errc { unknown_kind = 1, unrecognised_file };
std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

std::string_view kind_name(Kind k);
std::vector<std::string_view> kind_names();
Result<Kind> parse_kind(std::string_view name);
// Recognises a file from its top-level shape.
Result<Kind> detect_kind(const nlohmann::json& doc);

Report run(Kind kind, const nlohmann::json& doc);

// One function per kind, each in its own source file.
Report check_hpke(const nlohmann::json& doc);
Report check_sframe(const nlohmann::json& doc);
Report check_sframe_per_ssrc(const nlohmann::json& doc);
Report check_mls_deserialization(const nlohmann::json& doc);
Report check_mls_tree_math(const nlohmann::json& doc);
Report check_mls_messages(const nlohmann::json& doc);
Report check_mls_crypto_basics(const nlohmann::json& doc);
Report check_mls_secret_tree(const nlohmann::json& doc);
Report check_mls_key_schedule(const nlohmann::json& doc);
Report check_mls_psk_secret(const nlohmann::json& doc);
Report check_mls_transcript_hashes(const nlohmann::json& doc);
Report check_mls_tree_validation(const nlohmann::json& doc);
Report check_mls_tree_operations(const nlohmann::json& doc);
Report check_mls_treekem(const nlohmann::json& doc);
Report check_mls_message_protection(const nlohmann::json& doc);
Report check_mls_welcome(const nlohmann::json& doc);
Report check_mls_passive_client(const nlohmann::json& doc);

}  // namespace conclave::vectors
