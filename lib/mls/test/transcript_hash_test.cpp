// Transcript hashes and confirmation tags (RFC 9420 sections 6.1, 8.2).
// The known-answer values are in transcript-hashes.json
// (lib/vectors/test/transcript_hashes_test.cpp).
#include "conclave/mls/transcript_hash.h"

#include <gtest/gtest.h>

namespace conclave::mls {
namespace {

CipherSuite suite1() {
  auto s = CipherSuite::create(CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519);
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

AuthenticatedContent commit_content(uint64_t epoch) {
  AuthenticatedContent ac;
  ac.wire_format = WireFormat::mls_public_message;
  ac.content.group_id = {'g'};
  ac.content.epoch = epoch;
  ac.content.sender = Sender::member(LeafIndex{1});
  ac.content.content = Commit{};
  ac.auth.signature = Bytes(64, 0x5A);
  ac.auth.confirmation_tag = Bytes(32, 0x77);
  return ac;
}

TEST(TranscriptHashes, ConfirmedHashCoversInterimAndCommit) {
  const CipherSuite s = suite1();
  const AuthenticatedContent ac = commit_content(0);
  const TranscriptHashes epoch0;  // both empty
  const Bytes confirmed = epoch0.next_confirmed(s, ac);
  EXPECT_EQ(confirmed, s.hash(encode_confirmed_transcript_hash_input(ac)));
  EXPECT_EQ(confirmed, epoch0.next_confirmed(s, ac.wire_format, ac.content, ac.auth.signature));

  const TranscriptHashes other{{}, Bytes(32, 1)};
  EXPECT_EQ(other.next_confirmed(s, ac),
            s.hash(concat({other.interim, encode_confirmed_transcript_hash_input(ac)})));
  EXPECT_NE(other.next_confirmed(s, ac), confirmed);

  // The signature and the content are covered; the confirmation tag is not.
  AuthenticatedContent changed = ac;
  changed.auth.signature[0] ^= 1;
  EXPECT_NE(epoch0.next_confirmed(s, changed), confirmed);
  changed = ac;
  changed.content.epoch = 1;
  EXPECT_NE(epoch0.next_confirmed(s, changed), confirmed);
  changed = ac;
  (*changed.auth.confirmation_tag)[0] ^= 1;
  EXPECT_EQ(epoch0.next_confirmed(s, changed), confirmed);
}

TEST(TranscriptHashes, InterimHashCoversTheTag) {
  const CipherSuite s = suite1();
  const Bytes confirmed(32, 0x33);
  const Bytes tag(32, 0x44);
  const TranscriptHashes h = TranscriptHashes::with_tag(s, confirmed, tag);
  EXPECT_EQ(h.confirmed, confirmed);
  EXPECT_EQ(h.interim, s.hash(concat({confirmed, encode_interim_transcript_hash_input(tag)})));
  EXPECT_NE(TranscriptHashes::with_tag(s, confirmed, Bytes(32, 0x45)).interim, h.interim);
}

TEST(TranscriptHashes, ChainOverTwoCommits) {
  const CipherSuite s = suite1();
  const Bytes key(32, 0x99);
  TranscriptHashes h;
  for (uint64_t epoch = 0; epoch < 2; ++epoch) {
    const AuthenticatedContent ac = commit_content(epoch);
    const Bytes confirmed = h.next_confirmed(s, ac);
    const MAC tag = make_confirmation_tag(s, key, confirmed);
    const TranscriptHashes next = TranscriptHashes::with_tag(s, confirmed, tag);
    EXPECT_NE(next, h);
    h = next;
  }
  EXPECT_EQ(h.confirmed.size(), 32u);
  EXPECT_EQ(h.interim.size(), 32u);
}

TEST(ConfirmationTag, IsTheMacOfTheConfirmedHash) {
  const CipherSuite s = suite1();
  const Bytes key(32, 0x10);
  const Bytes confirmed(32, 0x20);
  const MAC tag = make_confirmation_tag(s, key, confirmed);
  EXPECT_EQ(tag, s.mac(key, confirmed));
  EXPECT_TRUE(verify_confirmation_tag(s, key, confirmed, tag).ok());
}

TEST(ConfirmationTag, MismatchIsRejected) {  // MLS-V-TH-001
  const CipherSuite s = suite1();
  const Bytes key(32, 0x10);
  const Bytes confirmed(32, 0x20);
  MAC tag = make_confirmation_tag(s, key, confirmed);
  tag[31] ^= 0x80;
  auto st = verify_confirmation_tag(s, key, confirmed, tag);
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.error().is(Errc::mac_mismatch));
  EXPECT_EQ(st.error().detail(), "MLS-V-TH-001");
  EXPECT_FALSE(verify_confirmation_tag(s, key, confirmed, {}).ok());
  EXPECT_FALSE(verify_confirmation_tag(s, Bytes(32, 0x11), confirmed,
                                       make_confirmation_tag(s, key, confirmed))
                   .ok());
}

}  // namespace
}  // namespace conclave::mls
