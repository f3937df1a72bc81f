// Proposal (the seven bodies of RFC 9420 section 12.1) and ProposalOrRef,
// whose custom codec tags a Proposal or a ProposalRef.
#include "conclave/mls/proposal.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <vector>

#include "wire_samples.h"

namespace conclave::mls {
namespace {

std::vector<Proposal> all_proposals() {
  return {
      Proposal{Add{samples::key_package()}},
      Proposal{Update{samples::leaf_node(LeafNodeSource::update)}},
      Proposal{Remove{LeafIndex{3}}},
      Proposal{PreSharedKey{PreSharedKeyID{ExternalPSK{to_bytes("id")}, samples::bytes(1, 32)}}},
      Proposal{ReInit{to_bytes("new"),
                      ProtocolVersion::mls10,
                      CipherSuiteId::mls_256_dhkemp384_aes256gcm_sha384_p384,
                      {}}},
      Proposal{ExternalInit{samples::bytes(5, 32)}},
      Proposal{GroupContextExtensions{{make_extension(ExternalPub{samples::bytes(6, 32)})}}},
  };
}

TEST(Proposal, EveryTypeRoundTrips) {
  uint16_t expected_type = 1;
  for (const Proposal& p : all_proposals()) {
    EXPECT_EQ(p.proposal_type(), static_cast<ProposalType>(expected_type));
    const Bytes wire = encode(p);
    ASSERT_GE(wire.size(), 2u);
    EXPECT_EQ(wire[0], 0);
    EXPECT_EQ(wire[1], expected_type);
    auto back = decode_proposal(wire);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(*back, p);
    ++expected_type;
  }
}

TEST(Proposal, RemoveLayout) {
  EXPECT_EQ(encode(Proposal{Remove{LeafIndex{0x0A0B0C0D}}}), (Bytes{0, 3, 0x0A, 0x0B, 0x0C, 0x0D}));
}

TEST(Proposal, UnknownAndGreaseTypesAreRejected) {
  for (const uint16_t type : std::initializer_list<uint16_t>{0x0000, 0x0008, 0x0A0A, 0xF000}) {
    const Bytes wire = {static_cast<uint8_t>(type >> 8), static_cast<uint8_t>(type), 0, 0, 0, 0};
    auto r = decode_proposal(wire);
    ASSERT_FALSE(r.ok()) << type;
    EXPECT_TRUE(r.error().is(codec::Errc::unknown_variant));
  }
}

TEST(ProposalOrRef, ByValueAndByReference) {
  const ProposalOrRef by_value{Proposal{Remove{LeafIndex{2}}}};
  const ProposalOrRef by_ref{ProposalRef{0xAA, 0xBB}};
  EXPECT_EQ(by_value.type(), ProposalOrRefType::proposal);
  EXPECT_EQ(by_ref.type(), ProposalOrRefType::reference);
  EXPECT_EQ(codec::encode(by_value), (Bytes{1, 0, 3, 0, 0, 0, 2}));
  EXPECT_EQ(codec::encode(by_ref), (Bytes{2, 2, 0xAA, 0xBB}));
  for (const ProposalOrRef& p : {by_value, by_ref}) {
    auto back = codec::decode<ProposalOrRef>(codec::encode(p));
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(*back, p);
  }
  ASSERT_NE(by_value.proposal(), nullptr);
  EXPECT_EQ(by_value.reference(), nullptr);
  ASSERT_NE(by_ref.reference(), nullptr);
}

TEST(ProposalOrRef, WrongTagIsRejected) {
  for (const uint8_t tag : std::initializer_list<uint8_t>{0, 3, 0xFF}) {
    auto r = codec::decode<ProposalOrRef>(Bytes{tag, 2, 0xAA, 0xBB});
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().is(codec::Errc::unknown_variant));
  }
  EXPECT_FALSE(codec::decode<ProposalOrRef>(Bytes{2, 3, 0xAA, 0xBB}).ok());
  EXPECT_FALSE(codec::decode<ProposalOrRef>(Bytes{}).ok());
}

TEST(Commit, RoundTripsWithAndWithoutPath) {
  Commit with_path = samples::commit_with_path();
  Commit without = with_path;
  without.path.reset();
  for (const Commit& c : {with_path, without}) {
    const Bytes wire = encode(c);
    auto back = decode_commit(wire);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(*back, c);
    for (size_t n = 0; n < wire.size(); ++n) {
      EXPECT_FALSE(decode_commit(BytesView(wire).first(n)).ok()) << n;
    }
  }
  EXPECT_EQ(encode(Commit{}), (Bytes{0, 0}));
}

}  // namespace
}  // namespace conclave::mls
