// MLSMessage: every wire format round-trips; unknown wire formats, trailing
// bytes and every truncation of valid messages fail cleanly; a byte flipped
// anywhere either fails or decodes to something that re-encodes to the
// flipped bytes.
#include "conclave/mls/mls_message.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

#include "wire_samples.h"

namespace conclave::mls {
namespace {

std::vector<MLSMessage> sample_messages() {
  PrivateMessage priv;
  priv.group_id = to_bytes("group");
  priv.epoch = 9;
  priv.content_type = ContentType::application;
  priv.authenticated_data = to_bytes("aad");
  priv.encrypted_sender_data = samples::bytes(1, 12);
  priv.ciphertext = samples::bytes(2, 40);

  PublicMessage external_proposal;
  external_proposal.content =
      samples::framed_content(Sender::external(0), Proposal{Remove{LeafIndex{1}}});
  external_proposal.auth.signature = samples::bytes(3, 64);

  return {
      MLSMessage{ProtocolVersion::mls10, samples::public_commit()},
      MLSMessage{ProtocolVersion::mls10, external_proposal},
      MLSMessage{ProtocolVersion::mls10, priv},
      MLSMessage{ProtocolVersion::mls10, samples::welcome()},
      MLSMessage{ProtocolVersion::mls10, samples::group_info()},
      MLSMessage{ProtocolVersion::mls10, samples::key_package()},
  };
}

TEST(MLSMessage, EveryWireFormatRoundTrips) {
  const WireFormat expected[] = {WireFormat::mls_public_message,  WireFormat::mls_public_message,
                                 WireFormat::mls_private_message, WireFormat::mls_welcome,
                                 WireFormat::mls_group_info,      WireFormat::mls_key_package};
  const auto messages = sample_messages();
  for (size_t i = 0; i < messages.size(); ++i) {
    SCOPED_TRACE(i);
    const Bytes wire = encode(messages[i]);
    // version (2 bytes), then the wire format.
    ASSERT_GE(wire.size(), 4u);
    EXPECT_EQ(wire[0], 0x00);
    EXPECT_EQ(wire[1], 0x01);
    EXPECT_EQ(static_cast<WireFormat>(wire[2] << 8 | wire[3]), expected[i]);
    auto back = decode_mls_message(wire);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(back->wire_format(), expected[i]);
    EXPECT_EQ(*back, messages[i]);
    EXPECT_EQ(encode(*back), wire);
  }
}

TEST(MLSMessage, AccessorsMatchTheWireFormat) {
  const auto messages = sample_messages();
  EXPECT_NE(messages[0].public_message(), nullptr);
  EXPECT_EQ(messages[0].private_message(), nullptr);
  EXPECT_NE(messages[2].private_message(), nullptr);
  EXPECT_NE(messages[3].welcome(), nullptr);
  EXPECT_NE(messages[4].group_info(), nullptr);
  EXPECT_NE(messages[5].key_package(), nullptr);
  EXPECT_EQ(messages[5].welcome(), nullptr);
}

TEST(MLSMessage, UnknownWireFormatIsRejected) {
  Bytes wire = encode(MLSMessage{ProtocolVersion::mls10, samples::welcome()});
  for (const uint8_t format : std::initializer_list<uint8_t>{0x00, 0x06, 0xFF}) {
    wire[2] = format == 0xFF ? 0xF0 : 0x00;
    wire[3] = format;
    auto back = decode_mls_message(wire);
    ASSERT_FALSE(back.ok());
    EXPECT_TRUE(back.error().is(codec::Errc::unknown_variant)) << back.error().to_string();
  }
}

TEST(MLSMessage, TrailingByteIsRejected) {
  for (const MLSMessage& msg : sample_messages()) {
    Bytes wire = encode(msg);
    wire.push_back(0);
    auto back = decode_mls_message(wire);
    ASSERT_FALSE(back.ok());
    EXPECT_TRUE(back.error().is(codec::Errc::trailing_data));
  }
}

TEST(MLSMessage, EveryTruncationFails) {
  for (const MLSMessage& msg : sample_messages()) {
    const Bytes wire = encode(msg);
    for (size_t n = 0; n < wire.size(); ++n) {
      auto back = decode_mls_message(BytesView(wire).first(n));
      EXPECT_FALSE(back.ok()) << "prefix of " << n << " of " << wire.size() << " bytes decoded";
    }
  }
}

TEST(MLSMessage, FlippedBytesFailOrRoundTrip) {
  size_t decoded = 0;
  size_t rejected = 0;
  for (const MLSMessage& msg : sample_messages()) {
    const Bytes wire = encode(msg);
    for (size_t i = 0; i < wire.size(); ++i) {
      for (const uint8_t mask : std::initializer_list<uint8_t>{0x01, 0x40, 0x80, 0xFF}) {
        Bytes bad = wire;
        bad[i] = static_cast<uint8_t>(bad[i] ^ mask);
        auto back = decode_mls_message(bad);
        if (back.ok()) {
          ++decoded;
          EXPECT_EQ(encode(*back), bad) << "byte " << i;
        } else {
          ++rejected;
        }
      }
    }
  }
  // Both outcomes occur (a flip inside a key decodes, a flip in a length
  // does not).
  EXPECT_GT(decoded, 0u);
  EXPECT_GT(rejected, 0u);
}

TEST(MLSMessage, VersionIsNotCheckedByTheDecoder) {
  Bytes wire = encode(MLSMessage{ProtocolVersion::mls10, samples::key_package()});
  wire[1] = 0x02;
  auto back = decode_mls_message(wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->version, static_cast<ProtocolVersion>(2));
}

}  // namespace
}  // namespace conclave::mls
