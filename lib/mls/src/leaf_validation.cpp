#include "conclave/mls/leaf_validation.h"

#include <algorithm>
#include <vector>

#include "conclave/mls/errc.h"
#include "conclave/mls/ratchet_tree_node.h"

namespace conclave::mls {
namespace {

template <class T>
bool contains(const std::vector<T>& values, T value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// The nodes whose keys a change of leaf `replacing` removes from the tree:
// the leaf and its direct path (blanked by an Update, overwritten by an
// UpdatePath).
bool is_replaced(const RatchetTree& tree, const std::optional<LeafIndex>& replacing,
                 NodeIndex x) {
  if (!replacing || replacing->value >= tree.leaf_count()) return false;
  const NodeIndex leaf = replacing->node();
  return x == leaf || (!x.is_leaf() && tree_math::is_in_subtree(x, leaf));
}

bool is_replaced_leaf(const std::optional<LeafIndex>& replacing, LeafIndex i) {
  return replacing && *replacing == i;
}

// Rules that compare the leaf with the other members: MLS-V-TREE-011 and
// key uniqueness (MLS-V-LEAF-012..014).
Status check_against_tree(const LeafNode& leaf, const LeafValidationContext& ctx) {
  const RatchetTree& tree = *ctx.tree;
  const CredentialType own_type = leaf.credential.credential_type();

  // Section 7.3: the credential type is supported by all members, and this
  // leaf supports the credential types in use by the other members.
  for (uint32_t i = 0; i < tree.leaf_count(); ++i) {
    const LeafIndex li{i};
    const LeafNode* member = tree.leaf(li);
    if (member == nullptr || is_replaced_leaf(ctx.replacing, li)) continue;
    if (!contains(member->capabilities.credentials, own_type) ||
        !contains(leaf.capabilities.credentials, member->credential.credential_type())) {
      return Error(Errc::incompatible_capabilities, "MLS-V-TREE-011");
    }
  }

  // Section 7.3: an Update's encryption_key differs from the one of the
  // leaf it replaces.
  if (ctx.source == LeafNodeSource::update && ctx.replacing) {
    const LeafNode* old = tree.leaf(*ctx.replacing);
    if (old != nullptr && old->encryption_key == leaf.encryption_key) {
      return Error(Errc::invalid_leaf_node, "MLS-V-LEAF-012");
    }
  }

  // Section 7.3 asks for unique keys among the members; encryption keys
  // are compared with every node that stays in the tree (section 12.4.3.1
  // requires that of the whole tree, MLS-V-TREE-007), so that a joiner
  // never receives a tree it must refuse.
  for (uint32_t x = 0; x < tree.width(); ++x) {
    const NodeIndex n{x};
    if (is_replaced(tree, ctx.replacing, n)) continue;
    const HPKEPublicKey* key = tree.encryption_key(n);
    if (key != nullptr && *key == leaf.encryption_key) {
      return Error(Errc::invalid_leaf_node, "MLS-V-LEAF-013");
    }
  }
  for (uint32_t i = 0; i < tree.leaf_count(); ++i) {
    const LeafIndex li{i};
    const LeafNode* member = tree.leaf(li);
    if (member == nullptr || is_replaced_leaf(ctx.replacing, li)) continue;
    if (member->signature_key == leaf.signature_key) {
      return Error(Errc::invalid_leaf_node, "MLS-V-LEAF-014");
    }
  }
  return {};
}

}  // namespace

bool is_default_extension_type(ExtensionType type) {
  switch (type) {
    case ExtensionType::application_id:
    case ExtensionType::ratchet_tree:
    case ExtensionType::required_capabilities:
    case ExtensionType::external_pub:
    case ExtensionType::external_senders:
      return true;
    case ExtensionType::reserved:
      break;
  }
  return false;
}

bool is_default_proposal_type(ProposalType type) {
  switch (type) {
    case ProposalType::add:
    case ProposalType::update:
    case ProposalType::remove:
    case ProposalType::psk:
    case ProposalType::reinit:
    case ProposalType::external_init:
    case ProposalType::group_context_extensions:
      return true;
    case ProposalType::reserved:
      break;
  }
  return false;
}

bool leaf_supports_extension(const LeafNode& leaf, ExtensionType type) {
  return is_default_extension_type(type) || contains(leaf.capabilities.extensions, type);
}

bool supports_required_capabilities(const LeafNode& leaf, const RequiredCapabilities& required) {
  const Capabilities& caps = leaf.capabilities;
  for (ExtensionType t : required.extension_types) {
    if (!is_default_extension_type(t) && !contains(caps.extensions, t)) return false;
  }
  for (ProposalType t : required.proposal_types) {
    if (!is_default_proposal_type(t) && !contains(caps.proposals, t)) return false;
  }
  // Section 11.1: "Note that this is not true for credential types."
  for (CredentialType t : required.credential_types) {
    if (!contains(caps.credentials, t)) return false;
  }
  return true;
}

namespace {

// MLS-V-LEAF-008 / -009 as one Status (supports_group_extensions is the
// boolean view).
Status check_group_extensions(const LeafNode& leaf, std::span<const Extension> extensions) {
  auto required = find_extension<RequiredCapabilities>(extensions);
  if (!required.ok() ||
      (required.value() && !supports_required_capabilities(leaf, *required.value()))) {
    return Error(Errc::incompatible_capabilities, "MLS-V-LEAF-008");
  }
  for (const Extension& e : extensions) {
    if (!leaf_supports_extension(leaf, e.extension_type)) {
      return Error(Errc::incompatible_capabilities, "MLS-V-LEAF-009");
    }
  }
  return {};
}

}  // namespace

bool supports_group_extensions(const LeafNode& leaf, std::span<const Extension> extensions) {
  return check_group_extensions(leaf, extensions).ok();
}

Status validate_leaf_node(const LeafNode& leaf, const LeafValidationContext& ctx) {
  const LeafNodeSource source = leaf.leaf_node_source();
  if (source != ctx.source) return Error(Errc::invalid_leaf_node, "MLS-V-LEAF-001");
  // Section 13: no list of extensions holds a type twice.
  if (has_duplicate_extension_types(leaf.extensions)) {
    return Error(Errc::invalid_leaf_node, "MLS-V-LEAF-002");
  }
  // Section 10: the leaf is "valid for the cipher suite, including both the
  // encryption_key and signature_key" (the signature key is proven by the
  // signature check below).
  if (!ctx.suite.import_hpke_public_key(leaf.encryption_key).ok()) {
    return Error(Errc::invalid_leaf_node, "MLS-V-LEAF-003");
  }

  // Capabilities (sections 7.2, 11.1, 13.4).
  const Capabilities& caps = leaf.capabilities;
  if (!contains(caps.versions, ctx.version)) {
    return Error(Errc::incompatible_capabilities, "MLS-V-LEAF-004");
  }
  if (!contains(caps.cipher_suites, ctx.suite.id())) {
    return Error(Errc::incompatible_capabilities, "MLS-V-LEAF-005");
  }
  if (!contains(caps.credentials, leaf.credential.credential_type())) {
    return Error(Errc::incompatible_capabilities, "MLS-V-LEAF-006");
  }
  for (const Extension& e : leaf.extensions) {
    if (!leaf_supports_extension(leaf, e.extension_type)) {
      return Error(Errc::incompatible_capabilities, "MLS-V-LEAF-007");
    }
  }
  CV_TRY_STATUS(check_group_extensions(leaf, ctx.group_extensions));

  // Lifetime (sections 7.2, 7.3).
  if (const Lifetime* lifetime = leaf.lifetime()) {
    if (ctx.now && (*ctx.now < lifetime->not_before || *ctx.now > lifetime->not_after)) {
      return Error(Errc::invalid_lifetime, "MLS-V-LEAF-010");
    }
    if (ctx.max_lifetime && (lifetime->not_after < lifetime->not_before ||
                             lifetime->not_after - lifetime->not_before > *ctx.max_lifetime)) {
      return Error(Errc::invalid_lifetime, "MLS-V-LEAF-011");
    }
  }

  if (ctx.tree != nullptr) CV_TRY_STATUS(check_against_tree(leaf, ctx));

  // Signature over LeafNodeTBS: group_id and leaf index only for the
  // update and commit sources.
  if (ctx.verify_signature) {
    const bool in_group = source == LeafNodeSource::update || source == LeafNodeSource::commit;
    const Bytes tbs = encode_leaf_node_tbs(leaf, in_group ? ctx.group_id : BytesView{},
                                           in_group ? ctx.leaf_index : LeafIndex{});
    if (!ctx.suite.verify_with_label(leaf.signature_key, "LeafNodeTBS", tbs, leaf.signature)
             .ok()) {
      return Error(Errc::invalid_leaf_signature, "MLS-V-LEAF-015");
    }
  }

  // Credential (section 5.3.1): last, as an X.509 chain costs the most.
  if (ctx.verifier != nullptr) {
    CV_TRY_STATUS(
        ctx.verifier->verify(leaf.credential, leaf.signature_key, ctx.suite.signature_scheme()));
    if (ctx.replacing && ctx.tree != nullptr) {
      if (const LeafNode* old = ctx.tree->leaf(*ctx.replacing)) {
        CV_TRY_STATUS(ctx.verifier->verify_successor(old->credential, leaf.credential));
      }
    }
  }
  return {};
}

Status validate_key_package(const KeyPackage& key_package, const LeafValidationContext& ctx) {
  if (key_package.version != ctx.version) {
    return Error(Errc::invalid_key_package, "MLS-V-KP-001");
  }
  if (key_package.cipher_suite != ctx.suite.id()) {
    return Error(Errc::cipher_suite_mismatch, "MLS-V-KP-002");
  }
  if (!ctx.suite.import_hpke_public_key(key_package.init_key).ok()) {
    return Error(Errc::invalid_key_package, "MLS-V-KP-003");
  }
  if (key_package.init_key == key_package.leaf_node.encryption_key) {
    return Error(Errc::invalid_key_package, "MLS-V-KP-004");
  }
  if (has_duplicate_extension_types(key_package.extensions)) {
    return Error(Errc::invalid_key_package, "MLS-V-KP-005");
  }
  // Section 10: KeyPackage extensions "MUST be included in the
  // leaf_node.capabilities field"; the defaults are never listed, and
  // GREASE extensions are exempt (section 13.5 asks only for the GREASE
  // values of LeafNode.extensions to be listed).
  for (const Extension& e : key_package.extensions) {
    const ExtensionType t = e.extension_type;
    if (!is_default_extension_type(t) && !is_grease(static_cast<uint16_t>(t)) &&
        !contains(key_package.leaf_node.capabilities.extensions, t)) {
      return Error(Errc::invalid_key_package, "MLS-V-KP-006");
    }
  }

  const LeafValidationContext leaf_ctx{
      .suite = ctx.suite,
      .group_id = {},
      .group_extensions = ctx.group_extensions,
      .leaf_index = {},
      .tree = ctx.tree,
      .now = ctx.now,
      .max_lifetime = ctx.max_lifetime,
      .source = LeafNodeSource::key_package,
      .verifier = nullptr,
      .replacing = std::nullopt,
      .version = ctx.version,
  };
  CV_TRY_STATUS(validate_leaf_node(key_package.leaf_node, leaf_ctx));

  // "Verify that the signature on the KeyPackage is valid using the public
  // key in leaf_node.credential", i.e. the leaf's signature_key.
  if (!ctx.suite
           .verify_with_label(key_package.leaf_node.signature_key, "KeyPackageTBS",
                              encode_key_package_tbs(key_package), key_package.signature)
           .ok()) {
    return Error(Errc::invalid_signature, "MLS-V-KP-007");
  }
  // The credential last (the most expensive check).
  if (ctx.verifier != nullptr) {
    CV_TRY_STATUS(ctx.verifier->verify(key_package.leaf_node.credential,
                                       key_package.leaf_node.signature_key,
                                       ctx.suite.signature_scheme()));
  }
  return {};
}

}  // namespace conclave::mls
