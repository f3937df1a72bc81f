#include "conclave/mls/proposal_store.h"

#include <utility>

namespace conclave::mls {

void ProposalStore::add(Entry entry) {
  if (find(entry.ref) != nullptr) return;
  entries_.push_back(std::move(entry));
}

const ProposalStore::Entry* ProposalStore::find(BytesView ref) const {
  for (const auto& e : entries_) {
    if (equal(e.ref, ref)) return &e;
  }
  return nullptr;
}

}  // namespace conclave::mls
