#include "conclave/sframe/header.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "conclave/base/encoding.h"

namespace conclave::sframe {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

// The boundary values of every encoded length: 0-7 inline, then the first
// and last value of each byte length 1..8.
std::vector<uint64_t> boundaries() {
  std::vector<uint64_t> v = {0, 1, 7, 8, 255, 256, kMax};
  for (unsigned bytes = 2; bytes < 8; ++bytes) {
    v.push_back((uint64_t{1} << (8 * bytes)) - 1);
    v.push_back(uint64_t{1} << (8 * bytes));
  }
  return v;
}

// Encoded size of one field: 0 inline, else its minimal byte length.
size_t field_size(uint64_t v) {
  if (v < 8) return 0;
  size_t n = 1;
  while (n < 8 && (v >> (8 * n)) != 0) ++n;
  return n;
}

Bytes encode(Header h) {
  Bytes out(Header::kMaxSize);
  auto n = h.encode(out);
  EXPECT_TRUE(n.ok());
  out.resize(n.ok() ? *n : 0);
  return out;
}

Bytes hex(const char* s) { return from_hex(s).value(); }

TEST(Header, KnownEncodings) {
  EXPECT_EQ(encode({0, 0}), hex("00"));
  EXPECT_EQ(encode({7, 7}), hex("77"));
  EXPECT_EQ(encode({8, 0}), hex("8008"));
  EXPECT_EQ(encode({0, 8}), hex("0808"));
  EXPECT_EQ(encode({5, 0x100}), hex("590100"));
  EXPECT_EQ(encode({0x123, 0x4567}), hex("9901234567"));
  EXPECT_EQ(encode({kMax, kMax}), hex("ffffffffffffffffffffffffffffffffff"));
}

TEST(Header, RoundTripsAtEveryBoundary) {
  for (uint64_t kid : boundaries()) {
    for (uint64_t ctr : boundaries()) {
      const Header h{kid, ctr};
      const Bytes bytes = encode(h);
      ASSERT_EQ(bytes.size(), 1 + field_size(kid) + field_size(ctr)) << kid << " " << ctr;
      EXPECT_EQ(h.encoded_size(), bytes.size());
      auto parsed = Header::parse(bytes);
      ASSERT_TRUE(parsed.ok()) << parsed.error().to_string() << " " << to_hex(bytes);
      EXPECT_EQ(parsed->header, h);
      EXPECT_EQ(parsed->size, bytes.size());
    }
  }
}

TEST(Header, ParseStopsAtTheHeaderAndIgnoresWhatFollows) {
  Bytes data = hex("9901234567");
  data.insert(data.end(), {0xaa, 0xbb, 0xcc});
  auto parsed = Header::parse(data);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->size, 5u);
  EXPECT_EQ(parsed->header, (Header{0x123, 0x4567}));
}

TEST(Header, EncodeRefusesAShortBuffer) {
  const Header h{0x123, 0x4567};
  std::array<uint8_t, 4> small{};
  auto r = h.encode(small);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::buffer_too_small));
  std::array<uint8_t, 5> exact{};
  EXPECT_TRUE(h.encode(exact).ok());
}

TEST(Header, EmptyInputIsTruncated) {
  auto r = Header::parse({});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::truncated_header));
}

TEST(Header, EveryProperPrefixIsTruncated) {
  for (uint64_t kid : boundaries()) {
    for (uint64_t ctr : boundaries()) {
      const Bytes bytes = encode({kid, ctr});
      for (size_t n = 1; n < bytes.size(); ++n) {
        auto r = Header::parse(BytesView(bytes).first(n));
        ASSERT_FALSE(r.ok()) << to_hex(bytes) << " cut at " << n;
        EXPECT_TRUE(r.error().is(Errc::truncated_header)) << to_hex(bytes) << " cut at " << n;
      }
    }
  }
}

TEST(Header, TruncatedCtrAfterCompleteKid) {
  // KID 0x123 complete, CTR announced as 2 bytes, only 1 present.
  auto r = Header::parse(hex("99012345"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::truncated_header));
}

void expect_non_minimal(const char* h) {
  auto r = Header::parse(hex(h));
  ASSERT_FALSE(r.ok()) << h;
  EXPECT_TRUE(r.error().is(Errc::non_minimal_header)) << h << ": " << r.error().to_string();
}

TEST(Header, NonMinimalKidIsRejected) {
  expect_non_minimal("8005");                // KID 5 written in 1 extended byte
  expect_non_minimal("8000");                // KID 0 likewise
  expect_non_minimal("8007");                // KID 7, the largest inline value
  expect_non_minimal("900009");              // KID 9 with a leading zero byte
  expect_non_minimal("9000ff");              // KID 255 in 2 bytes
  expect_non_minimal("f000ffffffffffffff");  // 8 bytes with a leading zero
}

TEST(Header, NonMinimalCtrIsRejected) {
  expect_non_minimal("0806");
  expect_non_minimal("090010");
  expect_non_minimal("5f00ffffffffffffff");
  expect_non_minimal("88ff07");              // KID fine, CTR 7 extended
  expect_non_minimal("99012300ff");          // KID fine, CTR with leading zero
}

TEST(Header, MinimalExtendedValuesAreAccepted) {
  // The smallest value of each extended length is minimal.
  for (const char* h : {"8008", "900100", "0808", "09010000"}) {
    auto r = Header::parse(hex(h));
    EXPECT_TRUE(r.ok()) << h;
  }
}

TEST(Header, EveryParsedHeaderReencodesToItsBytes) {
  // All config bytes with every following byte pattern that matters:
  // zeros, small values, 0xff.
  for (unsigned config = 0; config < 256; ++config) {
    for (uint8_t fill : {uint8_t{0}, uint8_t{1}, uint8_t{7}, uint8_t{8}, uint8_t{0xff}}) {
      Bytes data(Header::kMaxSize, fill);
      data[0] = static_cast<uint8_t>(config);
      auto r = Header::parse(data);
      if (!r.ok()) continue;
      EXPECT_EQ(to_hex(encode(r->header)), to_hex(BytesView(data).first(r->size)));
    }
  }
}

}  // namespace
}  // namespace conclave::sframe
