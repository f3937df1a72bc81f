// PublicMessage's custom codec: the membership tag exactly for member
// senders, the confirmation tag exactly for commits, and the
// AuthenticatedContentTBM encoding.
#include "conclave/mls/public_message.h"

#include <gtest/gtest.h>

#include "wire_samples.h"

namespace conclave::mls {
namespace {

PublicMessage proposal_from(Sender sender) {
  PublicMessage msg;
  msg.content = samples::framed_content(sender, Proposal{Remove{LeafIndex{2}}});
  msg.auth.signature = samples::bytes(0x33, 64);
  if (sender.sender_type() == SenderType::member) msg.membership_tag = samples::bytes(0x44, 32);
  return msg;
}

TEST(PublicMessage, RoundTripsForEverySenderType) {
  const Sender senders[] = {Sender::member(LeafIndex{4}), Sender::external(1),
                            Sender::new_member_proposal(), Sender::new_member_commit()};
  for (const Sender& sender : senders) {
    const PublicMessage msg = proposal_from(sender);
    const Bytes wire = encode(msg);
    auto back = decode_public_message(wire);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(*back, msg);
    EXPECT_EQ(back->membership_tag.has_value(), sender.sender_type() == SenderType::member);
  }
}

TEST(PublicMessage, CommitCarriesConfirmationTag) {
  const PublicMessage msg = samples::public_commit();
  auto back = decode_public_message(encode(msg));
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  ASSERT_TRUE(back->auth.confirmation_tag.has_value());
  EXPECT_EQ(*back->auth.confirmation_tag, samples::bytes(0x41, 32));
  EXPECT_EQ(*back->membership_tag, samples::bytes(0x51, 32));
  EXPECT_EQ(*back, msg);
}

TEST(PublicMessage, MissingMembershipTagForMemberIsTruncated) {
  PublicMessage msg = proposal_from(Sender::member(LeafIndex{4}));
  msg.membership_tag.reset();
  auto back = decode_public_message(encode(msg));
  ASSERT_FALSE(back.ok());
  EXPECT_TRUE(back.error().is(codec::Errc::truncated)) << back.error().to_string();
  EXPECT_EQ(back.error().detail(), "membership_tag");
}

TEST(PublicMessage, MembershipTagFromNonMemberIsTrailingData) {
  PublicMessage msg = proposal_from(Sender::external(0));
  msg.membership_tag = samples::bytes(0x44, 32);
  auto back = decode_public_message(encode(msg));
  ASSERT_FALSE(back.ok());
  EXPECT_TRUE(back.error().is(codec::Errc::trailing_data));
}

TEST(PublicMessage, ConfirmationTagOnProposalIsRejected) {
  // An external proposal has no membership tag, so the extra confirmation
  // tag is left over.
  PublicMessage msg = proposal_from(Sender::external(0));
  msg.auth.confirmation_tag = samples::bytes(0x55, 32);
  EXPECT_FALSE(decode_public_message(encode(msg)).ok());
  // From a member, the tag is taken as the membership tag and the real
  // membership tag is left over.
  PublicMessage member = proposal_from(Sender::member(LeafIndex{0}));
  member.auth.confirmation_tag = samples::bytes(0x55, 32);
  auto back = decode_public_message(encode(member));
  ASSERT_FALSE(back.ok());
  EXPECT_TRUE(back.error().is(codec::Errc::trailing_data));
}

TEST(PublicMessage, CommitWithoutConfirmationTagIsRejected) {
  PublicMessage msg = samples::public_commit();
  msg.auth.confirmation_tag.reset();
  // The membership tag is read as the confirmation tag, then the membership
  // tag is missing.
  auto back = decode_public_message(encode(msg));
  ASSERT_FALSE(back.ok());
  EXPECT_TRUE(back.error().is(codec::Errc::truncated));
}

TEST(PublicMessage, WrongSenderTagIsRejected) {
  Bytes wire = encode(proposal_from(Sender::external(0)));
  // group_id "group" (1 + 5 bytes), epoch (8), then the sender type.
  ASSERT_EQ(wire[14], static_cast<uint8_t>(SenderType::external));
  wire[14] = 0x05;
  auto back = decode_public_message(wire);
  ASSERT_FALSE(back.ok());
  EXPECT_TRUE(back.error().is(codec::Errc::unknown_variant));
  wire[14] = 0x00;
  EXPECT_FALSE(decode_public_message(wire).ok());
}

TEST(PublicMessage, EveryTruncationFails) {
  const Bytes wire = encode(samples::public_commit());
  for (size_t n = 0; n < wire.size(); ++n) {
    EXPECT_FALSE(decode_public_message(BytesView(wire).first(n)).ok()) << n;
  }
}

TEST(PublicMessage, AuthenticatedContentTbmIsTbsThenAuth) {
  const PublicMessage msg = samples::public_commit();
  const GroupContext ctx = samples::group_context();
  const Bytes tbm = encode_authenticated_content_tbm(msg.content, msg.auth, ctx);
  const Bytes tbs = encode_framed_content_tbs(WireFormat::mls_public_message, msg.content, &ctx);
  codec::Writer auth;
  msg.auth.encode(auth);
  EXPECT_EQ(tbm, concat({tbs, auth.view()}));
}

TEST(PublicMessage, AuthenticatedContentKeepsContentAndAuth) {
  const PublicMessage msg = samples::public_commit();
  const AuthenticatedContent ac = msg.authenticated_content();
  EXPECT_EQ(ac.wire_format, WireFormat::mls_public_message);
  EXPECT_EQ(ac.content, msg.content);
  EXPECT_EQ(ac.auth, msg.auth);
}

}  // namespace
}  // namespace conclave::mls
