#include "conclave/sframe/context.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <new>
#include <vector>

#include "conclave/base/encoding.h"

// Counts heap allocations so that the per-frame paths can be shown to
// allocate nothing. Every operator new in this test binary goes through
// here; the count only matters between the marks a test sets.
namespace {
std::atomic<size_t> g_allocations{0};

// Out of line, so the compiler does not pair malloc and free across the
// replaced operators and warn about a mismatch that is not there.
[[gnu::noinline]] void* allocate(size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void release(void* p) noexcept { std::free(p); }
}  // namespace

void* operator new(size_t n) { return allocate(n); }
void* operator new[](size_t n) { return allocate(n); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, size_t) noexcept { release(p); }
void operator delete[](void* p, size_t) noexcept { release(p); }

namespace conclave::sframe {
namespace {

constexpr uint64_t kKid = 0x123;
const Bytes kBaseKey = from_hex("000102030405060708090a0b0c0d0e0f").value();
const Bytes kMetadata = to_bytes("IETF SFrame WG");

Bytes pattern(size_t n, uint8_t seed) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + 13 * i);
  return b;
}

const CipherSuite& suite4() { return CipherSuite::get(CipherSuiteId::aes_128_gcm_sha256_128); }

// A sender and a receiver context sharing the key of kKid.
struct Pair {
  explicit Pair(const CipherSuite& s = suite4()) : send(s), recv(s) {
    EXPECT_TRUE(send.add_key(kKid, KeyUsage::protect, kBaseKey).ok());
    EXPECT_TRUE(recv.add_key(kKid, KeyUsage::unprotect, kBaseKey).ok());
  }
  Bytes protect(BytesView pt, BytesView metadata = kMetadata) {
    Bytes out(pt.size() + send.max_overhead());
    auto n = send.protect(kKid, metadata, pt, out);
    EXPECT_TRUE(n.ok()) << n.error().to_string();
    out.resize(n.ok() ? *n : 0);
    return out;
  }
  Result<Unprotected> unprotect(BytesView ct, Bytes& pt, BytesView metadata = kMetadata) {
    pt.assign(ct.size(), 0);
    auto r = recv.unprotect(metadata, ct, pt);
    if (r.ok()) pt.resize(r->size);
    return r;
  }
  Context send;
  Context recv;
};

void expect_error(const Result<Unprotected>& r, Errc e) {
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(e)) << r.error().to_string();
}

class ContextSuites : public ::testing::TestWithParam<CipherSuiteId> {};

TEST_P(ContextSuites, RoundTrip) {
  const CipherSuite& s = CipherSuite::get(GetParam());
  Pair p(s);
  for (size_t n : {0u, 1u, 100u, 1200u, 10000u}) {
    const Bytes pt = pattern(n, static_cast<uint8_t>(n));
    const Bytes ct = p.protect(pt);
    EXPECT_LE(ct.size(), pt.size() + p.send.max_overhead());
    Bytes back;
    auto r = p.unprotect(ct, back);
    ASSERT_TRUE(r.ok()) << s.name << " " << r.error().to_string();
    EXPECT_EQ(back, pt);
    EXPECT_EQ(r->header.kid, kKid);
    EXPECT_EQ(r->size, n);
  }
}

INSTANTIATE_TEST_SUITE_P(AllSuites, ContextSuites,
                         ::testing::Values(CipherSuiteId::aes_128_ctr_hmac_sha256_80,
                                           CipherSuiteId::aes_128_ctr_hmac_sha256_64,
                                           CipherSuiteId::aes_128_ctr_hmac_sha256_32,
                                           CipherSuiteId::aes_128_gcm_sha256_128,
                                           CipherSuiteId::aes_256_gcm_sha512_128,
                                           CipherSuiteId::aes_256_ctr_hmac_sha512_80,
                                           CipherSuiteId::aes_256_ctr_hmac_sha512_64,
                                           CipherSuiteId::aes_256_ctr_hmac_sha512_32));

TEST(Context, CountersStartAtZeroAndIncrease) {
  Pair p;
  for (uint64_t i = 0; i < 10; ++i) {
    const Bytes ct = p.protect(pattern(5, 1));
    auto h = Header::parse(ct);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->header, (Header{kKid, i}));
  }
}

TEST(Context, MaxOverheadCoversTheLargestHeader) {
  Context send(suite4());
  const uint64_t kMaxKid = std::numeric_limits<uint64_t>::max();
  ASSERT_TRUE(send.add_key(kMaxKid, KeyUsage::protect, kBaseKey).ok());
  EXPECT_EQ(send.max_overhead(), 33u);
  EXPECT_EQ(Context::kMaxOverhead, 33u);
  const Bytes pt = pattern(10, 0);
  Bytes out(pt.size() + send.max_overhead());
  auto n = send.protect_with_counter(kMaxKid, std::numeric_limits<uint64_t>::max() - 1, {}, pt,
                                     out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, out.size());
  EXPECT_EQ(Context(CipherSuite::get(CipherSuiteId::aes_128_ctr_hmac_sha256_32)).max_overhead(),
            21u);
}

TEST(Context, AlteredHeaderIsRejected) {
  Pair p;
  const Bytes ct = p.protect(pattern(50, 1));
  // Config byte 0x90 (KID in 2 bytes, CTR 0 inline), then KID 01 23.
  ASSERT_EQ(ct[0], 0x90);
  Bytes bad = ct;
  bad[2] ^= 0x01;  // KID 0x123 -> 0x122: no key
  Bytes pt;
  expect_error(p.unprotect(bad, pt), Errc::unknown_kid);
}

TEST(Context, AlteredCounterInTheHeaderFailsAuthentication) {
  Pair p;
  (void)p.protect(pattern(50, 1));
  const Bytes ct = p.protect(pattern(50, 2));  // CTR 1, inline in the config byte
  Bytes bad = ct;
  bad[0] ^= 0x02;  // CTR 1 -> 3
  Bytes pt;
  expect_error(p.unprotect(bad, pt), Errc::authentication_failed);
  auto r = p.unprotect(ct, pt);
  EXPECT_TRUE(r.ok());
}

TEST(Context, AlteredCiphertextTagOrMetadataIsRejected) {
  for (const CipherSuite& s : CipherSuite::all()) {
    Pair p(s);
    const Bytes ct = p.protect(pattern(60, 3));
    Bytes pt;
    Bytes bad = ct;
    bad[10] ^= 0x40;  // ciphertext body
    expect_error(p.unprotect(bad, pt), Errc::authentication_failed);
    bad = ct;
    bad.back() ^= 0x01;  // tag
    expect_error(p.unprotect(bad, pt), Errc::authentication_failed);
    Bytes metadata = kMetadata;
    metadata[0] ^= 0x01;
    expect_error(p.unprotect(ct, pt, metadata), Errc::authentication_failed);
    expect_error(p.unprotect(ct, pt, {}), Errc::authentication_failed);
    // Truncated by one byte: the tag no longer lines up.
    expect_error(p.unprotect(BytesView(ct).first(ct.size() - 1), pt),
                 Errc::authentication_failed);
    // None of this moved the window: the genuine frame still opens.
    auto r = p.unprotect(ct, pt);
    ASSERT_TRUE(r.ok()) << s.name;
    EXPECT_EQ(pt, pattern(60, 3));
  }
}

TEST(Context, UnknownKid) {
  Pair p;
  Context other(suite4());
  ASSERT_TRUE(other.add_key(99, KeyUsage::protect, kBaseKey).ok());
  Bytes ct(10 + Context::kMaxOverhead);
  auto n = other.protect(99, kMetadata, pattern(10, 0), ct);
  ASSERT_TRUE(n.ok());
  ct.resize(*n);
  Bytes pt;
  expect_error(p.unprotect(ct, pt), Errc::unknown_kid);
  Bytes out(100);
  auto s = p.send.protect(98, {}, pattern(10, 0), out);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(Errc::unknown_kid));
}

TEST(Context, ReplayOfTheSameFrameIsRejected) {
  Pair p;
  const Bytes ct = p.protect(pattern(30, 1));
  Bytes pt;
  ASSERT_TRUE(p.unprotect(ct, pt).ok());
  expect_error(p.unprotect(ct, pt), Errc::replay);
}

TEST(Context, OutOfOrderInsideTheWindowIsAcceptedOlderIsNot) {
  Pair p;
  std::vector<Bytes> frames;
  for (int i = 0; i < 200; ++i) frames.push_back(p.protect(pattern(20, static_cast<uint8_t>(i))));
  Bytes pt;
  ASSERT_TRUE(p.unprotect(frames[199], pt).ok());
  // CTR 72..198 are inside the 128-frame window, in any order.
  for (int i = 198; i >= 72; i -= 2) ASSERT_TRUE(p.unprotect(frames[static_cast<size_t>(i)], pt).ok()) << i;
  for (int i = 73; i <= 197; i += 2) ASSERT_TRUE(p.unprotect(frames[static_cast<size_t>(i)], pt).ok()) << i;
  expect_error(p.unprotect(frames[71], pt), Errc::replay);
  expect_error(p.unprotect(frames[0], pt), Errc::replay);
  expect_error(p.unprotect(frames[150], pt), Errc::replay);
}

TEST(Context, InOrderDelivery) {
  Pair p;
  for (int i = 0; i < 500; ++i) {
    const Bytes pt_in = pattern(40, static_cast<uint8_t>(i));
    Bytes pt;
    auto r = p.unprotect(p.protect(pt_in), pt);
    ASSERT_TRUE(r.ok()) << i;
    EXPECT_EQ(r->header.ctr, static_cast<uint64_t>(i));
    EXPECT_EQ(pt, pt_in);
  }
}

TEST(Context, ForgedFrameDoesNotMoveTheWindow) {
  Pair p;
  std::vector<Bytes> frames;
  for (int i = 0; i < 3; ++i) frames.push_back(p.protect(pattern(20, 1)));
  // A frame claiming CTR 1000 with a garbage tag: if it advanced the window,
  // CTR 0..2 would then be too old.
  Bytes forged(20 + Context::kMaxOverhead);
  auto n = p.send.protect_with_counter(kKid, 1000, kMetadata, pattern(20, 1), forged);
  ASSERT_TRUE(n.ok());
  forged.resize(*n);
  forged.back() ^= 0xff;
  Bytes pt(64, 0x5a);
  auto r = p.recv.unprotect(kMetadata, forged, pt);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::authentication_failed));
  // No plaintext left behind in the output buffer.
  for (size_t i = 0; i < 20; ++i) EXPECT_TRUE(pt[i] == 0 || pt[i] == 0x5a) << i;
  for (const Bytes& f : frames) EXPECT_TRUE(p.unprotect(f, pt).ok());
}

TEST(Context, CounterReuseIsRefusedOnSend) {
  Pair p;
  const Bytes pt = pattern(10, 0);
  Bytes out(pt.size() + Context::kMaxOverhead);
  ASSERT_TRUE(p.send.protect_with_counter(kKid, 5, {}, pt, out).ok());
  for (uint64_t ctr : {uint64_t{5}, uint64_t{4}, uint64_t{0}}) {
    auto r = p.send.protect_with_counter(kKid, ctr, {}, pt, out);
    ASSERT_FALSE(r.ok()) << ctr;
    EXPECT_TRUE(r.error().is(Errc::counter_reuse));
  }
  auto n = p.send.protect(kKid, {}, pt, out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(Header::parse(out)->header.ctr, 6u);
}

TEST(Context, CounterExhaustion) {
  Pair p;
  const Bytes pt = pattern(10, 0);
  Bytes out(pt.size() + Context::kMaxOverhead);
  const uint64_t kMax = std::numeric_limits<uint64_t>::max();
  ASSERT_TRUE(p.send.protect_with_counter(kKid, kMax, {}, pt, out).ok());
  auto r = p.send.protect(kKid, {}, pt, out);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::counter_exhausted));
  r = p.send.protect_with_counter(kKid, kMax, {}, pt, out);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::counter_reuse));
}

TEST(Context, BufferTooSmall) {
  Pair p;
  const Bytes pt = pattern(100, 0);
  // The header of CTR 0 is 3 bytes: 0x90 0x01 0x23.
  const size_t needed = Header{kKid, 0}.encoded_size() + pt.size() + 16;
  Bytes out(needed - 1);
  auto r = p.send.protect(kKid, {}, pt, out);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::buffer_too_small));
  // The refused call did not consume CTR 0.
  out.resize(needed);
  auto n = p.send.protect(kKid, kMetadata, pt, out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, needed);
  EXPECT_EQ(Header::parse(out)->header.ctr, 0u);

  Bytes small(pt.size() - 1);
  auto u = p.recv.unprotect(kMetadata, out, small);
  expect_error(u, Errc::buffer_too_small);
  Bytes exact(pt.size());
  auto ok = p.recv.unprotect(kMetadata, out, exact);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(exact, pt);
}

TEST(Context, MalformedInputs) {
  Pair p;
  Bytes pt(64);
  expect_error(p.recv.unprotect({}, {}, pt), Errc::truncated_header);
  expect_error(p.recv.unprotect({}, from_hex("99012345").value(), pt), Errc::truncated_header);
  expect_error(p.recv.unprotect({}, from_hex("8005").value(), pt), Errc::non_minimal_header);
  // A complete header for kKid followed by less than a tag.
  expect_error(p.recv.unprotect({}, from_hex("900123aabbcc").value(), pt),
               Errc::ciphertext_too_short);
}

TEST(Context, KeyUsageIsOneDirection) {
  Pair p;
  const Bytes ct = p.protect(pattern(10, 0));
  Bytes pt(64);
  // The sender's key cannot decrypt, the receiver's cannot encrypt.
  expect_error(p.send.unprotect(kMetadata, ct, pt), Errc::wrong_key_usage);
  auto r = p.recv.protect(kKid, {}, pattern(10, 0), pt);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::wrong_key_usage));
  EXPECT_EQ(p.send.key_usage(kKid), KeyUsage::protect);
  EXPECT_EQ(p.recv.key_usage(kKid), KeyUsage::unprotect);
  EXPECT_FALSE(p.recv.key_usage(kKid + 1));
}

TEST(Context, KeyManagement) {
  Context c(suite4());
  EXPECT_FALSE(c.has_key(1));
  ASSERT_TRUE(c.add_key(1, KeyUsage::unprotect, kBaseKey).ok());
  ASSERT_TRUE(c.add_key(300, KeyUsage::unprotect, kBaseKey).ok());
  ASSERT_TRUE(c.add_key(2, KeyUsage::protect, kBaseKey).ok());
  EXPECT_EQ(c.key_count(), 3u);
  auto dup = c.add_key(1, KeyUsage::protect, kBaseKey);
  ASSERT_FALSE(dup.ok());
  EXPECT_TRUE(dup.error().is(Errc::duplicate_kid));
  auto empty = c.add_key(5, KeyUsage::protect, {});
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(empty.error().is(Errc::invalid_key));
  ASSERT_TRUE(c.remove_key(300).ok());
  EXPECT_FALSE(c.has_key(300));
  EXPECT_TRUE(c.has_key(1));
  EXPECT_TRUE(c.has_key(2));
  auto gone = c.remove_key(300);
  ASSERT_FALSE(gone.ok());
  EXPECT_TRUE(gone.error().is(Errc::unknown_kid));
}

TEST(Context, RemovedKeyNoLongerDecrypts) {
  Pair p;
  const Bytes ct = p.protect(pattern(10, 0));
  ASSERT_TRUE(p.recv.remove_key(kKid).ok());
  Bytes pt;
  expect_error(p.unprotect(ct, pt), Errc::unknown_kid);
}

TEST(Context, KidsHaveIndependentCountersAndWindows) {
  Context send(suite4());
  Context recv(suite4());
  for (uint64_t kid : {uint64_t{1}, uint64_t{2}}) {
    ASSERT_TRUE(send.add_key(kid, KeyUsage::protect, kBaseKey).ok());
    ASSERT_TRUE(recv.add_key(kid, KeyUsage::unprotect, kBaseKey).ok());
  }
  Bytes a(100), b(100), pt(100);
  auto na = send.protect(1, {}, pattern(10, 0), a);
  auto nb = send.protect(2, {}, pattern(10, 0), b);
  ASSERT_TRUE(na.ok() && nb.ok());
  // Same CTR 0, same base key, different KID: different key and nonce.
  EXPECT_FALSE(equal(BytesView(a).subspan(1, *na - 1), BytesView(b).subspan(1, *nb - 1)));
  ASSERT_TRUE(recv.unprotect({}, BytesView(a).first(*na), pt).ok());
  ASSERT_TRUE(recv.unprotect({}, BytesView(b).first(*nb), pt).ok());
}

TEST(Context, ProtectAndUnprotectAllocateNothingPerFrame) {
  for (const CipherSuite& s : CipherSuite::all()) {
    Pair p(s);
    const Bytes pt = pattern(1200, 1);
    Bytes ct(pt.size() + Context::kMaxOverhead);
    Bytes back(pt.size());
    // Warm up (lazy provider initialisation happens on first use).
    auto n = p.send.protect(kKid, kMetadata, pt, ct);
    ASSERT_TRUE(n.ok());
    ASSERT_TRUE(p.recv.unprotect(kMetadata, BytesView(ct).first(*n), back).ok());

    const size_t before = g_allocations.load();
    for (int i = 0; i < 100; ++i) {
      n = p.send.protect(kKid, kMetadata, pt, ct);
      auto r = p.recv.unprotect(kMetadata, BytesView(ct).first(n.ok() ? *n : 0), back);
      if (!n.ok() || !r.ok()) FAIL() << s.name;
    }
    // Failures allocate nothing either.
    auto replay = p.recv.unprotect(kMetadata, BytesView(ct).first(*n), back);
    EXPECT_FALSE(replay.ok());
    EXPECT_EQ(g_allocations.load() - before, 0u) << s.name;
  }
}

}  // namespace
}  // namespace conclave::sframe
