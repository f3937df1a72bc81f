// Commit (RFC 9420 section 12.4): the proposals (by value or reference) that
// the committer applies, and optionally an UpdatePath that refreshes its
// keys. Whether the path may or must be present is a validation rule of the
// MLS layer.
#pragma once

#include <optional>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/codec/tls.h"
#include "conclave/mls/proposal.h"
#include "conclave/mls/types.h"
#include "conclave/mls/update_path.h"

namespace conclave::mls {

// struct {
//     ProposalOrRef proposals<V>;
//     optional<UpdatePath> path;
// } Commit;
struct Commit {
  // Its tag as an arm of FramedContent's content select.
  static constexpr ContentType kType = ContentType::commit;

  std::vector<ProposalOrRef> proposals;
  std::optional<UpdatePath> path;
  CV_TLS_FIELDS(proposals, path)
  bool operator==(const Commit&) const = default;
};

// Wire encodings (instantiated in commit.cpp).
Bytes encode(const Commit& commit);
Result<Commit> decode_commit(BytesView data);

}  // namespace conclave::mls
