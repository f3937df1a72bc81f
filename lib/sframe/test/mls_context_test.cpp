#include "conclave/sframe/mls_context.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "conclave/base/clock.h"
#include "conclave/base/encoding.h"

namespace conclave::sframe {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const CipherSuite& suite4() { return CipherSuite::get(CipherSuiteId::aes_128_gcm_sha256_128); }

// A stand-in for MLS-Exporter("SFrame 1.0 Base Key", "", Nk) of an epoch.
Bytes epoch_secret(uint64_t epoch, size_t nk = 16) {
  Bytes b(nk);
  for (size_t i = 0; i < nk; ++i) b[i] = static_cast<uint8_t>(epoch * 31 + i);
  return b;
}

const Bytes kMetadata = to_bytes("frame metadata");

MlsContext make(const Clock& clock, unsigned epoch_bits = 4, unsigned sender_bits = 6,
                Clock::Duration grace = seconds(5)) {
  auto c = MlsContext::create(suite4(), {epoch_bits, sender_bits, grace}, clock);
  EXPECT_TRUE(c.ok());
  return std::move(c).value();
}

Bytes protect(MlsContext& c, uint64_t sender, uint64_t context_id, BytesView pt) {
  Bytes out(pt.size() + c.max_overhead());
  auto n = c.protect(sender, context_id, kMetadata, pt, out);
  EXPECT_TRUE(n.ok()) << n.error().to_string();
  out.resize(n.ok() ? *n : 0);
  return out;
}

Result<MlsUnprotected> unprotect(MlsContext& c, BytesView ct) {
  Bytes out(ct.size());
  return c.unprotect(kMetadata, ct, out);
}

void expect_error(const Result<MlsUnprotected>& r, Errc e) {
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(e)) << r.error().to_string();
}

// RFC 9605 figure "An Example Sequence of KIDs for an MLS-based SFrame
// Session (E=4; S=6, Allowing for 64 Group Members)".
TEST(MlsKid, ExamplesFromTheRfc) {
  struct Case {
    uint64_t epoch, index, context, kid;
  };
  const Case cases[] = {
      {14, 3, 0, 0x3e},  {14, 7, 0, 0x7e},  {14, 20, 0, 0x14e}, {15, 3, 0, 0x3f},
      {15, 5, 0, 0x5f},  {16, 2, 2, 0x820}, {16, 2, 3, 0xc20},  {17, 33, 0, 0x211},
      {17, 51, 0, 0x331},
  };
  for (const Case& c : cases) {
    auto kid = MlsKid::encode(c.context, c.index, c.epoch, 6, 4);
    ASSERT_TRUE(kid.ok());
    EXPECT_EQ(*kid, c.kid) << c.epoch << "/" << c.index;
    EXPECT_EQ(MlsKid::decode(c.kid, 6, 4), (MlsKid{c.context, c.index, c.epoch % 16}));
  }
}

TEST(MlsKid, FieldsMustFitTheirBits) {
  EXPECT_FALSE(MlsKid::encode(0, 64, 1, 6, 4).ok());            // index needs 7 bits
  EXPECT_TRUE(MlsKid::encode(0, 63, 1, 6, 4).ok());
  EXPECT_FALSE(MlsKid::encode(uint64_t{1} << 54, 0, 1, 6, 4).ok());  // context > 54 bits
  EXPECT_TRUE(MlsKid::encode((uint64_t{1} << 54) - 1, 0, 1, 6, 4).ok());
  EXPECT_FALSE(MlsKid::encode(0, 0, 0, 40, 30).ok());           // E + S > 64
  // The extremes: all 64 bits to one field.
  EXPECT_EQ(*MlsKid::encode(0, 0, ~uint64_t{0}, 0, 64), ~uint64_t{0});
  EXPECT_EQ(*MlsKid::encode(0, ~uint64_t{0}, 0, 64, 0), ~uint64_t{0});
  EXPECT_EQ(*MlsKid::encode(~uint64_t{0}, 0, 0, 0, 0), ~uint64_t{0});
  EXPECT_EQ(MlsKid::decode(~uint64_t{0}, 0, 64), (MlsKid{0, 0, ~uint64_t{0}}));
}

TEST(MlsContext, TwoSendersReadEachOther) {
  FakeClock clock;
  MlsContext alice = make(clock);
  MlsContext bob = make(clock);
  ASSERT_TRUE(alice.add_epoch(14, epoch_secret(14)).ok());
  ASSERT_TRUE(bob.add_epoch(14, epoch_secret(14)).ok());

  const Bytes pt = to_bytes("hello from alice");
  const Bytes from_alice = protect(alice, 3, 0, pt);
  const Bytes from_bob = protect(bob, 7, 0, pt);
  // The KID in the clear header is the RFC layout.
  EXPECT_EQ(Header::parse(from_alice)->header.kid, 0x3eu);
  EXPECT_EQ(Header::parse(from_bob)->header.kid, 0x7eu);
  // Same base key and CTR 0, but each sender has its own key and salt.
  EXPECT_FALSE(equal(BytesView(from_alice).subspan(2), BytesView(from_bob).subspan(2)));

  auto r = unprotect(bob, from_alice);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->epoch, 14u);
  EXPECT_EQ(r->sender_index, 3u);
  EXPECT_EQ(r->context_id, 0u);
  EXPECT_EQ(r->ctr, 0u);
  EXPECT_EQ(r->size, pt.size());
  r = unprotect(alice, from_bob);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sender_index, 7u);
  expect_error(unprotect(alice, from_bob), Errc::replay);
}

TEST(MlsContext, ContextIdSeparatesStreamsOfOneSender) {
  FakeClock clock;
  MlsContext alice = make(clock);
  MlsContext bob = make(clock);
  ASSERT_TRUE(alice.add_epoch(16, epoch_secret(16)).ok());
  ASSERT_TRUE(bob.add_epoch(16, epoch_secret(16)).ok());
  const Bytes audio = protect(alice, 2, 2, to_bytes("audio"));
  const Bytes video = protect(alice, 2, 3, to_bytes("video"));
  EXPECT_EQ(Header::parse(audio)->header.kid, 0x820u);
  EXPECT_EQ(Header::parse(video)->header.kid, 0xc20u);
  auto a = unprotect(bob, audio);
  auto v = unprotect(bob, video);
  ASSERT_TRUE(a.ok() && v.ok());
  EXPECT_EQ(a->context_id, 2u);
  EXPECT_EQ(v->context_id, 3u);
  EXPECT_EQ(a->ctr, 0u);  // each stream has its own counter
  EXPECT_EQ(v->ctr, 0u);
}

TEST(MlsContext, PlaintextRoundTripsForEverySuite) {
  FakeClock clock;
  for (const CipherSuite& s : CipherSuite::all()) {
    auto alice = MlsContext::create(s, {}, clock);
    auto bob = MlsContext::create(s, {}, clock);
    ASSERT_TRUE(alice.ok() && bob.ok());
    ASSERT_TRUE(alice->add_epoch(1, epoch_secret(1, s.nk)).ok());
    ASSERT_TRUE(bob->add_epoch(1, epoch_secret(1, s.nk)).ok());
    const Bytes pt(333, 0x42);
    Bytes ct(pt.size() + alice->max_overhead());
    auto n = alice->protect(5, 0, kMetadata, pt, ct);
    ASSERT_TRUE(n.ok()) << s.name;
    Bytes back(pt.size());
    auto r = bob->unprotect(kMetadata, BytesView(ct).first(*n), back);
    ASSERT_TRUE(r.ok()) << s.name;
    EXPECT_EQ(back, pt);
  }
}

TEST(MlsContext, EpochChangeKeepsThePreviousEpochForTheGracePeriod) {
  FakeClock clock;
  MlsContext alice = make(clock);
  MlsContext bob = make(clock);
  ASSERT_TRUE(alice.add_epoch(1, epoch_secret(1)).ok());
  ASSERT_TRUE(bob.add_epoch(1, epoch_secret(1)).ok());
  std::vector<Bytes> old_frames;
  for (int i = 0; i < 4; ++i) old_frames.push_back(protect(alice, 3, 0, to_bytes("old")));

  // Bob moves to epoch 2 first; Alice's epoch-1 frames are still in flight.
  ASSERT_TRUE(bob.add_epoch(2, epoch_secret(2)).ok());
  EXPECT_EQ(bob.current_epoch(), 2u);
  EXPECT_EQ(bob.epochs(), (std::vector<uint64_t>{1, 2}));
  ASSERT_TRUE(unprotect(bob, old_frames[0]).ok());
  clock.advance(seconds(4));
  auto r = unprotect(bob, old_frames[1]);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->epoch, 1u);

  // Alice moves too; her new frames use epoch 2.
  ASSERT_TRUE(alice.add_epoch(2, epoch_secret(2)).ok());
  const Bytes fresh = protect(alice, 3, 0, to_bytes("new"));
  EXPECT_EQ(Header::parse(fresh)->header.kid, (3u << 4) | 2u);

  // Past the grace period the old epoch is refused, the new one works.
  clock.advance(seconds(1));
  expect_error(unprotect(bob, old_frames[2]), Errc::epoch_expired);
  r = unprotect(bob, fresh);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->epoch, 2u);
  // Sending in the expired epoch is refused as well.
  Bytes out(64);
  auto s = bob.protect_in_epoch(1, 7, 0, {}, to_bytes("late"), out);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(Errc::epoch_expired));

  bob.purge_expired();
  EXPECT_EQ(bob.epochs(), (std::vector<uint64_t>{2}));
  expect_error(unprotect(bob, old_frames[3]), Errc::unknown_epoch);
}

TEST(MlsContext, SendingInThePreviousEpochDuringGrace) {
  FakeClock clock;
  MlsContext alice = make(clock);
  MlsContext bob = make(clock);
  ASSERT_TRUE(alice.add_epoch(1, epoch_secret(1)).ok());
  ASSERT_TRUE(alice.add_epoch(2, epoch_secret(2)).ok());
  ASSERT_TRUE(bob.add_epoch(1, epoch_secret(1)).ok());
  // Alice holds epoch 2 but keeps sending in 1 until Bob has it.
  Bytes out(100);
  auto n = alice.protect_in_epoch(1, 4, 0, kMetadata, to_bytes("x"), out);
  ASSERT_TRUE(n.ok());
  Bytes pt(100);
  auto r = bob.unprotect(kMetadata, BytesView(out).first(*n), pt);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->epoch, 1u);
  EXPECT_EQ(r->sender_index, 4u);
  auto missing = alice.protect_in_epoch(7, 4, 0, kMetadata, to_bytes("x"), out);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().is(Errc::unknown_epoch));
}

TEST(MlsContext, DelayedSendSwitchSealsInThePreviousEpochUntilTheDeadline) {
  FakeClock clock;
  MlsContext alice = make(clock);
  MlsContext late = make(clock);  // a member that has not applied the commit yet
  ASSERT_TRUE(alice.add_epoch(1, epoch_secret(1)).ok());
  ASSERT_TRUE(late.add_epoch(1, epoch_secret(1)).ok());
  ASSERT_TRUE(alice.add_epoch(2, epoch_secret(2)).ok());
  alice.delay_send_switch(milliseconds(500));
  EXPECT_EQ(alice.current_epoch(), 2u);
  EXPECT_EQ(alice.send_epoch(), 1u);
  const Bytes held = protect(alice, 3, 0, to_bytes("held"));
  EXPECT_EQ(Header::parse(held)->header.kid, (3u << 4) | 1u);
  auto r = unprotect(late, held);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->epoch, 1u);

  clock.advance(milliseconds(499));
  EXPECT_EQ(alice.send_epoch(), 1u);
  clock.advance(milliseconds(1));
  EXPECT_EQ(alice.send_epoch(), 2u);
  const Bytes switched = protect(alice, 3, 0, to_bytes("switched"));
  EXPECT_EQ(Header::parse(switched)->header.kid, (3u << 4) | 2u);
  expect_error(unprotect(late, switched), Errc::unknown_epoch);
  ASSERT_TRUE(late.add_epoch(2, epoch_secret(2)).ok());
  ASSERT_TRUE(unprotect(late, switched).ok());
}

TEST(MlsContext, DelayedSendSwitchEndsWithTheNextEpochOrWithoutAPreviousOne) {
  FakeClock clock;
  MlsContext alice = make(clock);
  ASSERT_TRUE(alice.add_epoch(1, epoch_secret(1)).ok());
  alice.delay_send_switch(milliseconds(500));  // nothing before epoch 1: no hold
  EXPECT_EQ(alice.send_epoch(), 1u);
  ASSERT_TRUE(alice.add_epoch(2, epoch_secret(2)).ok());
  alice.delay_send_switch(milliseconds(500));
  EXPECT_EQ(alice.send_epoch(), 1u);
  // A newer epoch during the hold (a removal: no delay) switches at once.
  ASSERT_TRUE(alice.add_epoch(3, epoch_secret(3)).ok());
  EXPECT_EQ(alice.send_epoch(), 3u);
  // A hold whose epoch was purged seals in the current epoch.
  ASSERT_TRUE(alice.add_epoch(4, epoch_secret(4)).ok());
  alice.delay_send_switch(milliseconds(500));
  EXPECT_EQ(alice.send_epoch(), 3u);
  alice.purge_before(4);
  EXPECT_EQ(alice.send_epoch(), 4u);
  const Bytes frame = protect(alice, 1, 0, to_bytes("x"));
  EXPECT_EQ(Header::parse(frame)->header.kid, (1u << 4) | 4u);
}

TEST(MlsContext, PurgeBefore) {
  FakeClock clock;
  MlsContext alice = make(clock);
  MlsContext bob = make(clock, 4, 6, seconds(3600));
  ASSERT_TRUE(alice.add_epoch(5, epoch_secret(5)).ok());
  const Bytes old_frame = protect(alice, 1, 0, to_bytes("five"));
  for (uint64_t e : {5u, 6u, 7u}) ASSERT_TRUE(bob.add_epoch(e, epoch_secret(e)).ok());
  EXPECT_EQ(bob.epochs(), (std::vector<uint64_t>{5, 6, 7}));
  bob.purge_before(7);
  EXPECT_EQ(bob.epochs(), (std::vector<uint64_t>{7}));
  expect_error(unprotect(bob, old_frame), Errc::unknown_epoch);
  bob.purge_before(8);
  EXPECT_FALSE(bob.current_epoch());
  Bytes out(64);
  auto s = bob.protect(1, 0, {}, to_bytes("x"), out);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(Errc::unknown_epoch));
}

TEST(MlsContext, EpochsWithTheSameLowBitsAreNeverConfused) {
  FakeClock clock;
  // E = 1: epochs 1 and 3 share their low bit.
  MlsContext alice = make(clock, 1, 6, seconds(3600));
  MlsContext bob = make(clock, 1, 6, seconds(3600));
  ASSERT_TRUE(alice.add_epoch(1, epoch_secret(1)).ok());
  const Bytes epoch1 = protect(alice, 2, 0, to_bytes("epoch one"));
  for (uint64_t e : {1u, 2u}) ASSERT_TRUE(bob.add_epoch(e, epoch_secret(e)).ok());
  EXPECT_EQ(bob.epochs(), (std::vector<uint64_t>{1, 2}));
  // Epoch 3 replaces epoch 1 at once, grace period or not.
  ASSERT_TRUE(bob.add_epoch(3, epoch_secret(3)).ok());
  EXPECT_EQ(bob.epochs(), (std::vector<uint64_t>{2, 3}));
  // The epoch-1 frame now maps to epoch 3, whose key does not open it.
  expect_error(unprotect(bob, epoch1), Errc::authentication_failed);
  // And epoch 3 frames are read as epoch 3.
  ASSERT_TRUE(alice.add_epoch(3, epoch_secret(3)).ok());
  auto r = unprotect(bob, protect(alice, 2, 0, to_bytes("three")));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->epoch, 3u);
}

TEST(MlsContext, ZeroEpochBitsKeepsOneEpoch) {
  FakeClock clock;
  MlsContext bob = make(clock, 0, 8, seconds(3600));
  ASSERT_TRUE(bob.add_epoch(1, epoch_secret(1)).ok());
  ASSERT_TRUE(bob.add_epoch(2, epoch_secret(2)).ok());
  EXPECT_EQ(bob.epochs(), (std::vector<uint64_t>{2}));
}

TEST(MlsContext, SenderBitsCanChangePerEpoch) {
  FakeClock clock;
  MlsContext alice = make(clock);
  MlsContext bob = make(clock);
  // The group grew past 64 leaves in epoch 9: S = 7.
  ASSERT_TRUE(alice.add_epoch(9, epoch_secret(9), 7).ok());
  ASSERT_TRUE(bob.add_epoch(9, epoch_secret(9), 7).ok());
  const Bytes ct = protect(alice, 100, 1, to_bytes("big group"));
  EXPECT_EQ(Header::parse(ct)->header.kid, (uint64_t{1} << 11) | (100u << 4) | 9u);
  auto r = unprotect(bob, ct);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sender_index, 100u);
  EXPECT_EQ(r->context_id, 1u);
  auto kid = bob.kid(9, 100, 1);
  ASSERT_TRUE(kid.ok());
  EXPECT_EQ(*kid, Header::parse(ct)->header.kid);
}

TEST(MlsContext, InvalidInputs) {
  FakeClock clock;
  EXPECT_FALSE(MlsContext::create(suite4(), {40, 30, seconds(1)}, clock).ok());
  EXPECT_FALSE(MlsContext::create(suite4(), {4, 6, seconds(-1)}, clock).ok());
  MlsContext c = make(clock);
  auto short_secret = c.add_epoch(1, epoch_secret(1, 15));
  ASSERT_FALSE(short_secret.ok());
  EXPECT_TRUE(short_secret.error().is(Errc::invalid_key));
  ASSERT_TRUE(c.add_epoch(3, epoch_secret(3)).ok());
  for (uint64_t e : {1u, 3u}) {
    auto stale = c.add_epoch(e, epoch_secret(e));
    ASSERT_FALSE(stale.ok());
    EXPECT_TRUE(stale.error().is(Errc::stale_epoch));
  }
  auto bits = c.add_epoch(4, epoch_secret(4), 61);
  ASSERT_FALSE(bits.ok());
  EXPECT_TRUE(bits.error().is(Errc::invalid_parameter));
  Bytes out(64);
  auto big_sender = c.protect(64, 0, {}, to_bytes("x"), out);  // S = 6
  ASSERT_FALSE(big_sender.ok());
  EXPECT_TRUE(big_sender.error().is(Errc::invalid_parameter));
  EXPECT_FALSE(c.kid(2, 0, 0).ok());
}

TEST(MlsContext, NoEpochMeansUnknownEpoch) {
  FakeClock clock;
  MlsContext bob = make(clock);
  expect_error(unprotect(bob, from_hex("00aabbccddeeff00112233445566778899").value()),
               Errc::unknown_epoch);
  expect_error(unprotect(bob, {}), Errc::truncated_header);
}

TEST(MlsContext, OwnFramesReflectedBackAreRefused) {
  FakeClock clock;
  MlsContext alice = make(clock);
  ASSERT_TRUE(alice.add_epoch(1, epoch_secret(1)).ok());
  const Bytes ct = protect(alice, 3, 0, to_bytes("mine"));
  // Alice's key for her own KID is encrypt-only.
  expect_error(unprotect(alice, ct), Errc::wrong_key_usage);
}

TEST(MlsContext, ForgedFramesLeaveNoKeyBehind) {
  FakeClock clock;
  MlsContext alice = make(clock);
  MlsContext bob = make(clock);
  ASSERT_TRUE(alice.add_epoch(1, epoch_secret(1)).ok());
  ASSERT_TRUE(bob.add_epoch(1, epoch_secret(1)).ok());
  // A forged frame under Alice's future KID fails; it must not leave a key
  // (or a window) that would later make Alice's genuine frame a replay.
  Bytes frame = protect(alice, 3, 0, to_bytes("genuine"));
  Bytes forged = frame;
  forged.back() ^= 1;
  expect_error(unprotect(bob, forged), Errc::authentication_failed);
  auto r = unprotect(bob, frame);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  // Bob as a later sender with index 3 would be a misuse, but a key for
  // index 3 is now cached as decrypt-only and refuses to encrypt.
  Bytes out(64);
  auto s = bob.protect(3, 0, {}, to_bytes("x"), out);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(Errc::wrong_key_usage));
}


// A known answer shared with the browser client (web/test/sframe.test.ts
// opens these frames and seals identical ones): the native client's
// configuration (E = 4, S = 8, suite 4, empty metadata), base key 00..0f at
// epoch 5, sender leaf 3, context 1 (video), the first two frames.
TEST(MlsContextBrowserKnownAnswer, NativeConfigurationFrames) {
  FakeClock clock;
  auto c = MlsContext::create(suite4(), {4, 8, seconds(5)}, clock);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c->add_epoch(5, from_hex("000102030405060708090a0b0c0d0e0f").value()).ok());
  const Bytes pt = to_bytes("conclave native frame");
  std::vector<std::string> frames;
  for (int i = 0; i < 2; ++i) {
    Bytes out(pt.size() + c->max_overhead());
    auto n = c->protect(3, 1, {}, pt, out);
    ASSERT_TRUE(n.ok());
    out.resize(*n);
    frames.push_back(to_hex(out));
  }
  EXPECT_EQ(frames[0], "901035f3e8035ffa9b172967ab8784aefbd45f1299e6fff618ae9c4e6e1ca95078b8cf09da56cf8d");
  EXPECT_EQ(frames[1], "9110351d1691dda4a8cbc2151c0da2b5a53745c90a2f5457ad15019b3c504218b68583b3e30fd13f");
}

}  // namespace
}  // namespace conclave::sframe
