// Sender, FramedContent, FramedContentAuthData and AuthenticatedContent,
// and the encodings derived from them (FramedContentTBS, the transcript
// hash inputs).
#include "conclave/mls/framed_content.h"

#include <gtest/gtest.h>

#include <initializer_list>

#include "wire_samples.h"

namespace conclave::mls {
namespace {

TEST(Sender, EncodesEachType) {
  EXPECT_EQ(encode(Sender::member(LeafIndex{0x01020304})), (Bytes{1, 1, 2, 3, 4}));
  EXPECT_EQ(encode(Sender::external(7)), (Bytes{2, 0, 0, 0, 7}));
  EXPECT_EQ(encode(Sender::new_member_proposal()), (Bytes{3}));
  EXPECT_EQ(encode(Sender::new_member_commit()), (Bytes{4}));
  EXPECT_EQ(Sender::member(LeafIndex{9}).leaf_index(), LeafIndex{9});
  EXPECT_EQ(Sender::external(9).leaf_index(), std::nullopt);
}

TEST(Sender, DecodesAndRejectsUnknownTypes) {
  auto member = codec::decode<Sender>(Bytes{1, 0, 0, 0, 5});
  ASSERT_TRUE(member.ok());
  EXPECT_EQ(member->sender_type(), SenderType::member);
  EXPECT_EQ(*member, Sender::member(LeafIndex{5}));
  auto nmc = codec::decode<Sender>(Bytes{4});
  ASSERT_TRUE(nmc.ok());
  EXPECT_EQ(nmc->sender_type(), SenderType::new_member_commit);
  EXPECT_FALSE(codec::decode<Sender>(Bytes{4, 0}).ok());  // struct{} has no bytes
  for (const uint8_t bad : std::initializer_list<uint8_t>{0, 5, 0xFF}) {
    auto r = codec::decode<Sender>(Bytes{bad, 0, 0, 0, 0});
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(codec::Errc::unknown_variant));
  }
}

TEST(FramedContent, ApplicationLayout) {
  const FramedContent fc =
      samples::framed_content(Sender::member(LeafIndex{1}), ApplicationData{to_bytes("hi")});
  const Bytes expected = {5, 'g', 'r', 'o', 'u', 'p', 0, 0, 0, 0, 0, 0, 0, 7,  // id, epoch
                          1, 0,   0,   0,   1,                                 // sender
                          3, 'a', 'a', 'd',                                    // aad
                          1, 2,   'h', 'i'};                                   // application
  EXPECT_EQ(encode(fc), expected);
  auto back = decode_framed_content(expected);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, fc);
  EXPECT_EQ(back->content_type(), ContentType::application);
}

TEST(FramedContent, UnknownContentTypeIsRejected) {
  Bytes wire = encode(
      samples::framed_content(Sender::member(LeafIndex{1}), ApplicationData{to_bytes("hi")}));
  wire[23] = 0x04;
  auto r = decode_framed_content(wire);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(codec::Errc::unknown_variant));
}

TEST(AuthenticatedContent, RoundTripsCommitAndProposal) {
  AuthenticatedContent commit;
  commit.wire_format = WireFormat::mls_private_message;
  commit.content =
      samples::framed_content(Sender::member(LeafIndex{2}), samples::commit_with_path());
  commit.auth.signature = samples::bytes(1, 64);
  commit.auth.confirmation_tag = samples::bytes(2, 32);

  AuthenticatedContent proposal;
  proposal.content =
      samples::framed_content(Sender::new_member_proposal(), Proposal{Add{samples::key_package()}});
  proposal.auth.signature = samples::bytes(3, 64);

  for (const AuthenticatedContent& ac : {commit, proposal}) {
    const Bytes wire = encode(ac);
    auto back = decode_authenticated_content(wire);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(*back, ac);
    // The confirmation tag is the last field for commits.
    if (ac.auth.confirmation_tag) {
      EXPECT_FALSE(decode_authenticated_content(BytesView(wire).first(wire.size() - 33)).ok());
    }
  }
}

TEST(FramedContentAuthData, ConfirmationTagOnlyForCommits) {
  codec::Writer w;
  FramedContentAuthData auth{samples::bytes(1, 4), samples::bytes(9, 2)};
  auth.encode(w);
  const Bytes wire = w.take();
  EXPECT_EQ(wire, (Bytes{4, 1, 2, 3, 4, 2, 9, 10}));

  codec::Reader commit(wire);
  auto as_commit = FramedContentAuthData::decode(commit, ContentType::commit);
  ASSERT_TRUE(as_commit.ok());
  EXPECT_EQ(*as_commit, auth);
  EXPECT_TRUE(commit.empty());

  codec::Reader proposal(wire);
  auto as_proposal = FramedContentAuthData::decode(proposal, ContentType::proposal);
  ASSERT_TRUE(as_proposal.ok());
  EXPECT_FALSE(as_proposal->confirmation_tag.has_value());
  EXPECT_EQ(proposal.remaining(), 3u);

  // A failed decode leaves the reader where it was.
  codec::Reader short_commit(BytesView(wire).first(6));
  auto failed = FramedContentAuthData::decode(short_commit, ContentType::commit);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().detail(), "confirmation_tag");
  EXPECT_EQ(short_commit.position(), 0u);
}

TEST(FramedContentTbs, IncludesGroupContextOnlyForMemberAndNewMemberCommit) {
  const GroupContext ctx = samples::group_context();
  const Bytes ctx_wire = encode(ctx);
  const MessageContent content = Proposal{Remove{LeafIndex{1}}};
  struct Case {
    Sender sender;
    bool with_context;
  };
  const Case cases[] = {{Sender::member(LeafIndex{0}), true},
                        {Sender::new_member_commit(), true},
                        {Sender::external(0), false},
                        {Sender::new_member_proposal(), false}};
  for (const Case& c : cases) {
    const FramedContent fc = samples::framed_content(c.sender, content);
    const Bytes prefix = concat({Bytes{0, 1, 0, 2}, encode(fc)});  // mls10, private
    const Bytes tbs = encode_framed_content_tbs(WireFormat::mls_private_message, fc, &ctx);
    EXPECT_EQ(tbs, c.with_context ? concat({prefix, ctx_wire}) : prefix);
    if (!c.with_context) {
      EXPECT_EQ(encode_framed_content_tbs(WireFormat::mls_private_message, fc, nullptr), prefix);
    }
  }
}

TEST(TranscriptHashInputs, Layout) {
  AuthenticatedContent ac;
  ac.wire_format = WireFormat::mls_public_message;
  ac.content = samples::framed_content(Sender::member(LeafIndex{2}), samples::commit_with_path());
  ac.auth.signature = samples::bytes(1, 3);
  ac.auth.confirmation_tag = samples::bytes(7, 2);
  EXPECT_EQ(encode_confirmed_transcript_hash_input(ac),
            concat({Bytes{0, 1}, encode(ac.content), Bytes{3, 1, 2, 3}}));
  EXPECT_EQ(encode_interim_transcript_hash_input(*ac.auth.confirmation_tag), (Bytes{2, 7, 8}));
}

}  // namespace
}  // namespace conclave::mls
