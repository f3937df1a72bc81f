// Proposals (RFC 9420 section 12.1) and ProposalOrRef (section 12.4).
//
// A Proposal holds one of the seven bodies of the RFC; each body names its
// proposal_type in kType:
//
//   Add                      key_package           (a new member)
//   Update                   leaf_node             (sender's new leaf)
//   Remove                   removed               (a leaf index)
//   PreSharedKey             psk                   (a PreSharedKeyID)
//   ReInit                   group_id, version, cipher_suite, extensions
//   ExternalInit             kem_output
//   GroupContextExtensions   extensions            (replaces the GC's list)
//
// A proposal of another type (GREASE values included, which RFC 9420
// section 13.5 forbids in Proposal.proposal_type) cannot be parsed and is
// rejected by the codec as unknown_variant.
//
// A Commit lists ProposalOrRef: a proposal by value, or a ProposalRef (the
// RefHash of the AuthenticatedContent that carried it).
#pragma once

#include <variant>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/extension.h"
#include "conclave/mls/key_package.h"
#include "conclave/mls/leaf_node.h"
#include "conclave/mls/psk.h"
#include "conclave/mls/tree_math.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

// struct {
//     KeyPackage key_package;
// } Add;
struct Add {
  static constexpr ProposalType kType = ProposalType::add;
  KeyPackage key_package;
  CV_TLS_FIELDS(key_package)
  bool operator==(const Add&) const = default;
};

// struct {
//     LeafNode leaf_node;
// } Update;
struct Update {
  static constexpr ProposalType kType = ProposalType::update;
  LeafNode leaf_node;
  CV_TLS_FIELDS(leaf_node)
  bool operator==(const Update&) const = default;
};

// struct {
//     uint32 removed;
// } Remove;
struct Remove {
  static constexpr ProposalType kType = ProposalType::remove;
  LeafIndex removed;
  CV_TLS_FIELDS(removed)
  bool operator==(const Remove&) const = default;
};

// struct {
//     PreSharedKeyID psk;
// } PreSharedKey;
struct PreSharedKey {
  static constexpr ProposalType kType = ProposalType::psk;
  PreSharedKeyID psk;
  CV_TLS_FIELDS(psk)
  bool operator==(const PreSharedKey&) const = default;
};

// struct {
//     opaque group_id<V>;
//     ProtocolVersion version;
//     CipherSuite cipher_suite;
//     Extension extensions<V>;
// } ReInit;
struct ReInit {
  static constexpr ProposalType kType = ProposalType::reinit;
  Bytes group_id;
  ProtocolVersion version = ProtocolVersion::mls10;
  CipherSuiteId cipher_suite = CipherSuiteId::reserved;
  std::vector<Extension> extensions;
  CV_TLS_FIELDS(group_id, version, cipher_suite, extensions)
  bool operator==(const ReInit&) const = default;
};

// struct {
//   opaque kem_output<V>;
// } ExternalInit;
struct ExternalInit {
  static constexpr ProposalType kType = ProposalType::external_init;
  Bytes kem_output;
  CV_TLS_FIELDS(kem_output)
  bool operator==(const ExternalInit&) const = default;
};

// struct {
//   Extension extensions<V>;
// } GroupContextExtensions;
struct GroupContextExtensions {
  static constexpr ProposalType kType = ProposalType::group_context_extensions;
  std::vector<Extension> extensions;
  CV_TLS_FIELDS(extensions)
  bool operator==(const GroupContextExtensions&) const = default;
};

// struct {
//     ProposalType proposal_type;
//     select (Proposal.proposal_type) {
//         case add:                      Add;
//         case update:                   Update;
//         case remove:                   Remove;
//         case psk:                      PreSharedKey;
//         case reinit:                   ReInit;
//         case external_init:            ExternalInit;
//         case group_context_extensions: GroupContextExtensions;
//     };
// } Proposal;
struct Proposal {
  // Its tag as an arm of FramedContent's content select.
  static constexpr ContentType kType = ContentType::proposal;

  std::variant<Add, Update, Remove, PreSharedKey, ReInit, ExternalInit, GroupContextExtensions>
      content;
  CV_TLS_FIELDS(content)
  bool operator==(const Proposal&) const = default;

  ProposalType proposal_type() const { return codec::variant_tag(content); }
};

// struct {
//   ProposalOrRefType type;
//   select (ProposalOrRef.type) {
//     case proposal:  Proposal proposal;
//     case reference: ProposalRef reference;
//   };
// } ProposalOrRef;
struct ProposalOrRef {
  std::variant<Proposal, ProposalRef> content;
  bool operator==(const ProposalOrRef&) const = default;

  ProposalOrRefType type() const {
    return content.index() == 0 ? ProposalOrRefType::proposal : ProposalOrRefType::reference;
  }
  const Proposal* proposal() const { return std::get_if<Proposal>(&content); }
  const ProposalRef* reference() const { return std::get_if<ProposalRef>(&content); }

  // Custom codec (proposal.cpp): the tag enum differs from Proposal's own
  // ContentType tag.
  void tls_encode(codec::Writer& w) const;
  Status tls_decode(codec::Reader& r);
};

// Wire encodings (instantiated in proposal.cpp).
Bytes encode(const Proposal& proposal);
Result<Proposal> decode_proposal(BytesView data);

}  // namespace conclave::mls
