// PrivateMessage and its plaintext PrivateMessageContent: content selected
// by the outer content type, the confirmation tag only for commits, padding
// of zero bytes only; SenderData and the two AADs.
#include "conclave/mls/private_message.h"

#include <gtest/gtest.h>

#include <initializer_list>

#include "wire_samples.h"

namespace conclave::mls {
namespace {

PrivateMessageContent application_content(size_t padding) {
  PrivateMessageContent pmc;
  pmc.content = ApplicationData{to_bytes("hello")};
  pmc.auth.signature = samples::bytes(0x20, 64);
  pmc.padding_length = padding;
  return pmc;
}

TEST(PrivateMessageContent, ApplicationRoundTripsWithPadding) {
  for (const size_t padding : std::initializer_list<size_t>{0, 1, 17, 300}) {
    const PrivateMessageContent pmc = application_content(padding);
    const Bytes plain = encode(pmc);
    // application_data<V> (1 + 5), signature<V> (2 + 64: 64 needs a
    // two-byte varint), then the padding.
    ASSERT_EQ(plain.size(), 6 + 66 + padding);
    auto back = decode_private_message_content(plain, ContentType::application);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(*back, pmc);
    EXPECT_EQ(encode(*back), plain);
  }
}

TEST(PrivateMessageContent, CommitCarriesConfirmationTag) {
  PrivateMessageContent pmc;
  pmc.content = samples::commit_with_path();
  pmc.auth.signature = samples::bytes(0x20, 64);
  pmc.auth.confirmation_tag = samples::bytes(0x40, 32);
  pmc.padding_length = 8;
  const Bytes plain = encode(pmc);
  auto back = decode_private_message_content(plain, ContentType::commit);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, pmc);
  EXPECT_EQ(back->content_type(), ContentType::commit);
}

TEST(PrivateMessageContent, ProposalRoundTrips) {
  PrivateMessageContent pmc;
  pmc.content = Proposal{Remove{LeafIndex{5}}};
  pmc.auth.signature = samples::bytes(0x20, 64);
  auto back = decode_private_message_content(encode(pmc), ContentType::proposal);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, pmc);
}

TEST(PrivateMessageContent, NonZeroPaddingIsRejected) {
  const Bytes plain = encode(application_content(16));
  for (size_t i = plain.size() - 16; i < plain.size(); ++i) {
    Bytes bad = plain;
    bad[i] = 0x01;
    auto back = decode_private_message_content(bad, ContentType::application);
    ASSERT_FALSE(back.ok()) << i;
    EXPECT_TRUE(back.error().is(codec::Errc::invalid_value));
    EXPECT_EQ(back.error().detail(), "padding");
  }
}

TEST(PrivateMessageContent, ConfirmationTagOnApplicationIsRejected) {
  PrivateMessageContent pmc = application_content(0);
  pmc.auth.confirmation_tag = samples::bytes(0x40, 32);
  // The tag bytes land in the padding, which must be all zero.
  auto back = decode_private_message_content(encode(pmc), ContentType::application);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().detail(), "padding");
}

TEST(PrivateMessageContent, MissingConfirmationTagOnCommitIsRejected) {
  PrivateMessageContent pmc;
  pmc.content = samples::commit_with_path();
  pmc.auth.signature = samples::bytes(0x20, 64);
  auto back = decode_private_message_content(encode(pmc), ContentType::commit);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error().detail(), "confirmation_tag");
}

TEST(PrivateMessageContent, WrongContentTypeIsRejected) {
  const Bytes plain = encode(application_content(0));
  EXPECT_FALSE(decode_private_message_content(plain, ContentType::commit).ok());
  auto reserved = decode_private_message_content(plain, ContentType::reserved);
  ASSERT_FALSE(reserved.ok());
  EXPECT_TRUE(reserved.error().is(codec::Errc::unknown_variant));
  EXPECT_FALSE(decode_private_message_content(plain, static_cast<ContentType>(9)).ok());
}

TEST(PrivateMessageContent, EveryTruncationBeforePaddingFails) {
  PrivateMessageContent pmc;
  pmc.content = samples::commit_with_path();
  pmc.auth.signature = samples::bytes(0x20, 64);
  pmc.auth.confirmation_tag = samples::bytes(0x40, 32);
  const Bytes plain = encode(pmc);
  for (size_t n = 0; n < plain.size(); ++n) {
    EXPECT_FALSE(
        decode_private_message_content(BytesView(plain).first(n), ContentType::commit).ok())
        << n;
  }
}

TEST(PrivateMessage, RoundTripsAndRejectsInvalidContentType) {
  PrivateMessage msg;
  msg.group_id = to_bytes("g");
  msg.epoch = 0x0102030405060708;
  msg.content_type = ContentType::proposal;
  msg.authenticated_data = {};
  msg.encrypted_sender_data = samples::bytes(1, 12);
  msg.ciphertext = samples::bytes(9, 30);
  Bytes wire = encode(msg);
  auto back = decode_private_message(wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, msg);
  // group_id (1 + 1), epoch (8), then content_type.
  ASSERT_EQ(wire[10], 0x02);
  for (const uint8_t bad : std::initializer_list<uint8_t>{0x00, 0x04, 0xFF}) {
    wire[10] = bad;
    auto r = decode_private_message(wire);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(codec::Errc::invalid_value));
    EXPECT_EQ(r.error().detail(), "content_type");
  }
}

TEST(SenderData, HasFixedLayout) {
  const SenderData sd{LeafIndex{0x01020304}, 0x05060708, {0xA, 0xB, 0xC, 0xD}};
  const Bytes wire = encode(sd);
  EXPECT_EQ(wire, (Bytes{1, 2, 3, 4, 5, 6, 7, 8, 0xA, 0xB, 0xC, 0xD}));
  auto back = decode_sender_data(wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, sd);
  EXPECT_FALSE(decode_sender_data(BytesView(wire).first(11)).ok());
}

TEST(PrivateMessageAad, MatchTheStructEncodings) {
  const Bytes group_id = to_bytes("grp");
  const Bytes aad = to_bytes("data");
  EXPECT_EQ(encode_sender_data_aad(group_id, 42, ContentType::commit),
            codec::encode(SenderDataAAD{group_id, 42, ContentType::commit}));
  EXPECT_EQ(encode_sender_data_aad(group_id, 42, ContentType::commit),
            (Bytes{3, 'g', 'r', 'p', 0, 0, 0, 0, 0, 0, 0, 42, 3}));
  EXPECT_EQ(encode_private_content_aad(group_id, 42, ContentType::application, aad),
            codec::encode(PrivateContentAAD{group_id, 42, ContentType::application, aad}));
  EXPECT_EQ(encode_private_content_aad(group_id, 42, ContentType::application, aad),
            (Bytes{3, 'g', 'r', 'p', 0, 0, 0, 0, 0, 0, 0, 42, 1, 4, 'd', 'a', 't', 'a'}));
}

}  // namespace
}  // namespace conclave::mls
