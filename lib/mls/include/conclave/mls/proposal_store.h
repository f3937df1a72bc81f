// ProposalStore: the proposals of the current epoch that a later Commit may
// cover by reference (RFC 9420 section 12.4). Each entry is keyed by its
// ProposalRef, RefHash("MLS 1.0 Proposal Reference", AuthenticatedContent),
// and keeps who sent it. A member's own Update proposals also keep the
// private key of the new leaf until a commit covers them. The store lives
// for one epoch: the next Group starts with an empty one.
#pragma once

#include <optional>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/crypto/dh.h"
#include "conclave/mls/framed_content.h"
#include "conclave/mls/proposal.h"
#include "conclave/mls/types.h"

namespace conclave::mls {

class ProposalStore {
 public:
  struct Entry {
    ProposalRef ref;
    Proposal proposal;
    Sender sender;
    // The private key of our own Update's new leaf.
    std::optional<crypto::DhPrivateKey> update_key;
  };

  // Adds an entry; a proposal already stored (same ref) is kept once.
  void add(Entry entry);
  const Entry* find(BytesView ref) const;
  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }

 private:
  std::vector<Entry> entries_;
};

}  // namespace conclave::mls
