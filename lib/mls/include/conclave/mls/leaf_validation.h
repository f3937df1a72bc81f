// Receiver-side validation of LeafNodes (RFC 9420 section 7.3, with the
// rules of 7.2, 11.1, 12.1.2 and 13 it relies on) and KeyPackages (section
// 10.1), as pure functions over a LeafValidationContext that describes the
// group the leaf is about to enter:
//
//   validate_leaf_node(leaf, ctx)        an Add's / KeyPackage's leaf
//                                        (source key_package), an Update
//                                        (update), an UpdatePath (commit)
//   validate_key_package(kp, ctx)        version, suite, signature, init key,
//                                        extensions, then its leaf as above
//   supports_required_capabilities(...)  for GroupContextExtensions proposals
//   supports_group_extensions(...)       (every member must support them)
//
// Each failed rule returns an mls::Errc with its stable ID as the Error
// detail (MLS-V-LEAF-xxx, MLS-V-KP-xxx, MLS-V-TREE-011; the credential
// verifier's own MLS-V-CRED-xxx pass through), listed in
// docs/mls-validation-rules.md. The "default" proposal and extension types
// of section 7.2 (those this RFC defines) count as supported by every
// leaf; credential types never do (section 11.1).
//
// What stays with the caller: the KeyPackage version against the MLSMessage
// version (section 10), the proposal-list rules of section 12.2 (e.g. two
// Adds with the same key), and whether `now` is passed at all for leaves of
// received messages (section 7.3 makes the lifetime check RECOMMENDED there).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/mls/cipher_suite.h"
#include "conclave/mls/credential_verifier.h"
#include "conclave/mls/extension.h"
#include "conclave/mls/key_package.h"
#include "conclave/mls/leaf_node.h"
#include "conclave/mls/ratchet_tree.h"
#include "conclave/mls/tree_math.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

struct LeafValidationContext {
  // The group's cipher suite.
  const CipherSuite& suite;
  // Signature context of the update and commit sources (LeafNodeTBS).
  BytesView group_id{};
  // The GroupContext extensions (required_capabilities and every
  // non-default extension the leaf must support).
  std::span<const Extension> group_extensions{};
  // Signature context of the update and commit sources (LeafNodeTBS).
  LeafIndex leaf_index{};
  // The current tree, for key uniqueness and the members' credential types
  // (MLS-V-TREE-011); nullptr skips those checks.
  const RatchetTree* tree = nullptr;
  // Unix seconds; when set, a key_package-source lifetime must include it.
  std::optional<uint64_t> now{};
  // Section 7.2: the application's maximum total lifetime
  // (not_after - not_before) of a key_package-source leaf; nullopt: none.
  std::optional<uint64_t> max_lifetime{};
  // The leaf_node_source the leaf must carry: key_package (KeyPackage,
  // Add), update (Update proposal), commit (UpdatePath).
  LeafNodeSource source = LeafNodeSource::key_package;
  // The Authentication Service; nullptr skips the credential check.
  const CredentialVerifier* verifier = nullptr;
  // The leaf being replaced by an Update or UpdatePath: its keys (and its
  // direct path's, which the change blanks or overwrites) are not
  // duplicates, its member's credential type is not "in use by others",
  // and with `verifier` the new credential must be a valid successor.
  std::optional<LeafIndex> replacing{};
  // The group's protocol version.
  ProtocolVersion version = ProtocolVersion::mls10;
  // False only where the caller verifies the same signature itself: an
  // UpdatePath leaf, whose signature merge_update_path checks together with
  // its parent hash (MLS-V-TREE-016), so a commit is not verified twice.
  bool verify_signature = true;
};

// Section 7.3, in this order: MLS-V-LEAF-001 source, -002 duplicate
// extension types, -003 encryption key not a key of the suite's KEM, -004
// version / -005 cipher suite / -006 own credential type not in the
// capabilities, -007 a non-default leaf extension not in the capabilities,
// -008 required_capabilities not met, -009 a non-default GroupContext
// extension not supported, -010 lifetime excludes now, -011 lifetime longer
// than max_lifetime; with a tree: MLS-V-TREE-011 credential types, -012
// Update keeps the replaced leaf's encryption key, -013 encryption key /
// -014 signature key already in the tree; then -015 the signature, and
// with a verifier the credential (the verifier's error) and, for
// `replacing`, its succession. Validate before applying the change.
Status validate_leaf_node(const LeafNode& leaf, const LeafValidationContext& ctx);

// Section 10.1: MLS-V-KP-001 version, -002 cipher suite, -003 init_key not
// a key of the suite's KEM, -004 init_key equal to the leaf's
// encryption_key, -005 duplicate extension types, -006 a non-default,
// non-GREASE KeyPackage extension not in the leaf's capabilities, then the
// leaf_node as a key_package-source leaf (ctx.source and
// ctx.replacing are ignored), then -007 the signature over KeyPackageTBS.
Status validate_key_package(const KeyPackage& key_package, const LeafValidationContext& ctx);

// The extension and proposal types this RFC defines (section 7.2): they
// are implicitly supported and MUST NOT be listed in capabilities.
bool is_default_extension_type(ExtensionType type);
bool is_default_proposal_type(ProposalType type);

// Whether the leaf supports an extension type: a default type, or one
// listed in capabilities.extensions.
bool leaf_supports_extension(const LeafNode& leaf, ExtensionType type);

// Whether the leaf's capabilities list every non-default extension and
// proposal type and every credential type of `required` (section 11.1).
bool supports_required_capabilities(const LeafNode& leaf, const RequiredCapabilities& required);

// Whether the leaf supports every extension of a GroupContext (section
// 13.4): each non-default type is in capabilities.extensions, and when a
// required_capabilities extension is among them, it is met. A malformed
// required_capabilities payload is supported by nobody.
bool supports_group_extensions(const LeafNode& leaf, std::span<const Extension> extensions);

}  // namespace conclave::mls
