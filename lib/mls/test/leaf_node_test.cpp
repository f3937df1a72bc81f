// LeafNode (the leaf_node_source select), Credential, Capabilities and the
// LeafNodeTBS encoding.
#include "conclave/mls/leaf_node.h"

#include <gtest/gtest.h>

#include <initializer_list>

#include "wire_samples.h"

namespace conclave::mls {
namespace {

TEST(LeafNode, EverySourceRoundTrips) {
  for (LeafNodeSource source :
       {LeafNodeSource::key_package, LeafNodeSource::update, LeafNodeSource::commit}) {
    const LeafNode leaf = samples::leaf_node(source);
    EXPECT_EQ(leaf.leaf_node_source(), source);
    const Bytes wire = encode(leaf);
    auto back = decode_leaf_node(wire);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(*back, leaf);
    // Unknown capability values (GREASE) survive.
    EXPECT_EQ(back->capabilities.cipher_suites[1], static_cast<CipherSuiteId>(0x0A0A));
  }
  EXPECT_NE(samples::leaf_node(LeafNodeSource::key_package).lifetime(), nullptr);
  EXPECT_EQ(samples::leaf_node(LeafNodeSource::update).lifetime(), nullptr);
  ASSERT_NE(samples::leaf_node(LeafNodeSource::commit).parent_hash(), nullptr);
  EXPECT_EQ(*samples::leaf_node(LeafNodeSource::commit).parent_hash(), samples::bytes(0x50, 32));
}

TEST(LeafNode, SourceBodiesHaveTheirSizes) {
  const size_t update = encode(samples::leaf_node(LeafNodeSource::update)).size();
  EXPECT_EQ(encode(samples::leaf_node(LeafNodeSource::key_package)).size(), update + 16);
  EXPECT_EQ(encode(samples::leaf_node(LeafNodeSource::commit)).size(), update + 33);
}

TEST(LeafNode, UnknownSourceIsRejected) {
  const LeafNode leaf = samples::leaf_node(LeafNodeSource::update);
  Bytes wire = encode(leaf);
  // The source byte (with an empty body for update) comes right before the
  // extensions and the signature.
  const size_t at = wire.size() - codec::encode(leaf.extensions).size() -
                    codec::encode(leaf.signature).size() - 1;
  ASSERT_EQ(wire[at], static_cast<uint8_t>(LeafNodeSource::update));
  for (const uint8_t bad : std::initializer_list<uint8_t>{0, 4, 0xFF}) {
    wire[at] = bad;
    auto r = decode_leaf_node(wire);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(codec::Errc::unknown_variant));
  }
}

TEST(LeafNodeTbs, GroupIdAndLeafIndexOnlyForUpdateAndCommit) {
  const Bytes group_id = to_bytes("gid");
  for (LeafNodeSource source :
       {LeafNodeSource::key_package, LeafNodeSource::update, LeafNodeSource::commit}) {
    const LeafNode leaf = samples::leaf_node(source);
    const Bytes wire = encode(leaf);
    // LeafNodeTBS is the LeafNode without its signature ...
    const Bytes unsigned_part(wire.begin(), wire.end() - static_cast<std::ptrdiff_t>(
                                                             codec::encode(leaf.signature).size()));
    const Bytes tbs = encode_leaf_node_tbs(leaf, group_id, LeafIndex{0x0102});
    if (source == LeafNodeSource::key_package) {
      EXPECT_EQ(tbs, unsigned_part);
    } else {
      // ... plus group_id<V> and the uint32 leaf index.
      EXPECT_EQ(tbs, concat({unsigned_part, Bytes{3, 'g', 'i', 'd', 0, 0, 1, 2}}));
    }
  }
}

TEST(Credential, BasicAndX509RoundTrip) {
  const Credential basic = Credential::basic(to_bytes("bob"));
  EXPECT_EQ(codec::encode(basic), (Bytes{0, 1, 3, 'b', 'o', 'b'}));
  const Credential x509{X509Credential{{Certificate{{1, 2}}, Certificate{{3}}}}};
  EXPECT_EQ(codec::encode(x509), (Bytes{0, 2, 5, 2, 1, 2, 1, 3}));
  EXPECT_EQ(x509.credential_type(), CredentialType::x509);
  for (const Credential& c : {basic, x509}) {
    auto back = codec::decode<Credential>(codec::encode(c));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, c);
  }
}

TEST(Credential, UnknownTypeIsRejected) {
  // RFC 9420 section 13.5: an unsupported credential_type rejects the
  // enclosing message (its body has no known layout).
  for (const uint16_t type : std::initializer_list<uint16_t>{0x0000, 0x0003, 0x0A0A}) {
    auto r = codec::decode<Credential>(
        Bytes{static_cast<uint8_t>(type >> 8), static_cast<uint8_t>(type), 1, 'x'});
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(codec::Errc::unknown_variant));
  }
}

}  // namespace
}  // namespace conclave::mls
