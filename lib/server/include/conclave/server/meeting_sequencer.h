// MeetingSequencer: the delivery service's per-meeting order of MLS
// handshake messages (RFC 9420 section 14, RFC 9750 "strongly consistent"
// delivery), over the secret-free mls::PublicGroup. Pure: no sockets, no
// clock; the signaling layer feeds it the bytes members send.
//
//   create(GroupInfo of epoch n)      the meeting's group as its creator
//                                     published it
//   submit_proposal(MLSMessage) ───> checked, stored for commits by reference,
//                                    kept for members that reconnect
//   submit_commit(MLSMessage) ─────> the first valid commit for the current
//                                    epoch wins and moves the group on;
//                                    one for an ended epoch is stale_commit
//                                    (carrying the current epoch); an
//                                    invalid one changes nothing
//   propose_remove(leaf) ──────────> the server, an external sender of the
//                                    group, proposes a Remove (a dropped
//                                    connection, a host's decision)
//
// Only PublicMessages are sequenced: the server must see what a commit
// does (who joins, who leaves) to enforce the meeting's policy, and it
// checks everything it can without the group's keys (see PublicGroup).
#pragma once

#include <cstdint>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/crypto/signature.h"
#include "conclave/mls/mls_message.h"
#include "conclave/mls/public_group.h"

namespace conclave::server {

class MeetingSequencer {
 public:
  // From the GroupInfo (an MLSMessage) that the meeting's creator uploads;
  // its tree must be in the ratchet_tree extension.
  static Result<MeetingSequencer> create(BytesView group_info_message);

  uint64_t epoch() const { return group_.epoch(); }
  const mls::PublicGroup& group() const { return group_; }
  // The handshake messages of the current epoch (proposals so far), in
  // order, and the commit that started it: what a reconnecting member
  // needs to catch up.
  const std::vector<Bytes>& epoch_messages() const { return epoch_messages_; }
  const Bytes& last_commit() const { return last_commit_; }

  struct Accepted {
    uint64_t epoch = 0;  // the new epoch
    std::vector<mls::LeafIndex> added;
    std::vector<mls::LeafIndex> removed;
    mls::Sender committer;
  };
  // A commit checked against the current epoch but not applied, so that
  // the caller can run its own checks (the meeting policy, who is added)
  // before it accepts it.
  struct Staged {
    mls::PublicGroup::Staged staged;
    Bytes message;  // the MLSMessage as submitted
  };
  // Errc::not_handshake for anything but a PublicMessage commit;
  // Errc::stale_commit for an earlier epoch (epoch() is the current one);
  // the mls::Errc of the failed check otherwise. Changes nothing.
  Result<Staged> stage_commit(BytesView mls_message) const;
  // Moves to the epoch a commit staged in the current epoch starts.
  Accepted accept(Staged staged);
  // stage_commit() then accept(): only an accepted commit changes the
  // sequencer.
  Result<Accepted> submit_commit(BytesView mls_message);
  // A PublicMessage proposal of the current epoch, stored.
  Result<mls::ProposalRef> submit_proposal(BytesView mls_message);
  // The server's Remove proposal for `leaf`, signed with its external-sender
  // key (entry `sender_index` of the group's external_senders), stored like
  // a member's proposal. Returns the MLSMessage to broadcast.
  Result<Bytes> propose_remove(mls::LeafIndex leaf, const crypto::SignaturePrivateKey& server_key,
                               uint32_t sender_index);

 private:
  explicit MeetingSequencer(mls::PublicGroup group) : group_(std::move(group)) {}

  mls::PublicGroup group_;
  std::vector<Bytes> epoch_messages_;
  Bytes last_commit_;
};

}  // namespace conclave::server
