#include "conclave/server/meeting_sequencer.h"

#include <utility>

#include "conclave/server/errc.h"

namespace conclave::server {

namespace {

// A PublicMessage of the wanted content type, or Errc::not_handshake.
Result<mls::PublicMessage> public_handshake(BytesView bytes, mls::ContentType type) {
  auto message = mls::decode_mls_message(bytes);
  if (!message.ok()) return message.error();
  const mls::PublicMessage* pub = message->public_message();
  if (pub == nullptr || pub->content.content_type() != type) {
    return Error(Errc::not_handshake);
  }
  return *pub;
}

}  // namespace

Result<MeetingSequencer> MeetingSequencer::create(BytesView group_info_message) {
  CV_TRY(mls::MLSMessage message, mls::decode_mls_message(group_info_message));
  const mls::GroupInfo* info = message.group_info();
  if (info == nullptr) return Error(Errc::not_handshake, "not a GroupInfo");
  CV_TRY(mls::PublicGroup group, mls::PublicGroup::create(*info));
  return MeetingSequencer(std::move(group));
}

Result<MeetingSequencer::Staged> MeetingSequencer::stage_commit(BytesView mls_message) const {
  CV_TRY(mls::PublicMessage commit, public_handshake(mls_message, mls::ContentType::commit));
  if (commit.content.epoch < group_.epoch()) return Error(Errc::stale_commit);
  CV_TRY(mls::PublicGroup::Staged staged, group_.stage_commit(commit));
  return Staged{std::move(staged), Bytes(mls_message.begin(), mls_message.end())};
}

MeetingSequencer::Accepted MeetingSequencer::accept(Staged s) {
  Accepted out{s.staged.next.epoch(), std::move(s.staged.added), std::move(s.staged.removed),
               s.staged.committer};
  group_ = std::move(s.staged.next);
  epoch_messages_.clear();
  last_commit_ = std::move(s.message);
  return out;
}

Result<MeetingSequencer::Accepted> MeetingSequencer::submit_commit(BytesView mls_message) {
  CV_TRY(Staged staged, stage_commit(mls_message));
  return accept(std::move(staged));
}

Result<mls::ProposalRef> MeetingSequencer::submit_proposal(BytesView mls_message) {
  CV_TRY(mls::PublicMessage proposal, public_handshake(mls_message, mls::ContentType::proposal));
  CV_TRY(mls::ProposalRef ref, group_.handle_proposal(proposal));
  epoch_messages_.emplace_back(mls_message.begin(), mls_message.end());
  return ref;
}

Result<Bytes> MeetingSequencer::propose_remove(mls::LeafIndex leaf,
                                               const crypto::SignaturePrivateKey& server_key,
                                               uint32_t sender_index) {
  const mls::GroupContext& context = group_.context();
  mls::FramedContent content{context.group_id, context.epoch, mls::Sender::external(sender_index),
                             {}, mls::Proposal{mls::Remove{leaf}}};
  // External senders sign FramedContentTBS without the GroupContext
  // (RFC 9420 section 6.1).
  CV_TRY(Bytes signature,
         group_.suite().sign_with_label(
             server_key, "FramedContentTBS",
             mls::encode_framed_content_tbs(mls::WireFormat::mls_public_message, content,
                                            nullptr)));
  mls::PublicMessage message{std::move(content), {std::move(signature), std::nullopt},
                             std::nullopt};
  const Bytes bytes =
      mls::encode(mls::MLSMessage{mls::ProtocolVersion::mls10, std::move(message)});
  CV_TRY(mls::ProposalRef ref, submit_proposal(bytes));
  (void)ref;
  return bytes;
}

}  // namespace conclave::server
