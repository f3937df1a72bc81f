#include "conclave/codec/tls.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <optional>
#include <string>
#include <variant>
#include <vector>

// Allocation tracking: the largest single allocation made while tracking is
// on, to prove that a hostile length is rejected before anything is
// allocated for it.
#if defined(__GNUC__) && !defined(__clang__)
// GCC pairs the free() below with ::operator new instead of malloc; the
// replacement pair is consistent (malloc/free).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace {
thread_local bool g_tracking = false;
thread_local size_t g_largest_allocation = 0;
}  // namespace

void* operator new(std::size_t n) {
  if (g_tracking && n > g_largest_allocation) g_largest_allocation = n;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace conclave::codec {
namespace test_types {

// struct { opaque group_id<V>; uint64 epoch; } Foo;
struct Foo {
  Bytes group_id;
  uint64_t epoch = 0;
  CV_TLS_FIELDS(group_id, epoch)
  bool operator==(const Foo&) const = default;
};

enum class ProposalType : uint16_t { add = 1, update = 2, remove = 3 };

struct Add {
  static constexpr ProposalType kType = ProposalType::add;
  Foo foo;
  CV_TLS_FIELDS(foo)
  bool operator==(const Add&) const = default;
};

struct Update {
  static constexpr ProposalType kType = ProposalType::update;
  std::optional<Bytes> leaf;
  CV_TLS_FIELDS(leaf)
  bool operator==(const Update&) const = default;
};

struct Remove {
  static constexpr ProposalType kType = ProposalType::remove;
  uint32_t removed = 0;
  CV_TLS_FIELDS(removed)
  bool operator==(const Remove&) const = default;
};

using Proposal = std::variant<Add, Update, Remove>;

// An enum that opts in to value checks.
enum class Color : uint8_t { red = 0, green = 1, blue = 2 };
constexpr bool tls_valid(Color c) {
  return c <= Color::blue;
}

// An enum without a check: every value decodes.
enum class Level : uint32_t { low = 1, high = 2 };

struct Empty {
  CV_TLS_FIELDS()
  bool operator==(const Empty&) const = default;
};

struct Everything {
  uint8_t u8 = 0;
  uint16_t u16 = 0;
  uint32_t u32 = 0;
  uint64_t u64 = 0;
  Color color = Color::red;
  Level level = Level::low;
  Bytes bytes;
  SecretBytes secret;
  std::array<uint8_t, 4> fixed{};
  std::array<uint16_t, 2> pair{};
  std::vector<uint16_t> numbers;
  std::optional<Foo> maybe_foo;
  std::vector<Proposal> proposals;
  std::optional<std::vector<std::optional<Foo>>> nested;
  Empty empty;
  std::vector<Bytes> blobs;
  CV_TLS_FIELDS(u8, u16, u32, u64, color, level, bytes, secret, fixed, pair, numbers, maybe_foo,
                proposals, nested, empty, blobs)
  bool operator==(const Everything&) const = default;
};

// A recursive type: nesting is bounded only by the reader's depth limit.
struct Node {
  uint8_t label = 0;
  std::vector<Node> children;
  CV_TLS_FIELDS(label, children)
};

// A struct decoded without copying its opaque field.
struct View {
  BytesView data;
  uint8_t after = 0;
  CV_TLS_FIELDS(data, after)
};

// An irregular struct in the style of MLS FramedContent, whose select()
// tag is written before another field:
//
// struct {
//   ContentType content_type;
//   opaque authenticated_data<V>;
//   select (content_type) {
//     case application: opaque application_data<V>;
//     case proposal:    Proposal proposal;
//     case commit:      Commit commit;
//   };
// } Framed;
enum class ContentType : uint8_t { application = 1, proposal = 2, commit = 3 };

struct Commit {
  static constexpr ContentType kType = ContentType::commit;
  std::vector<Proposal> proposals;
  CV_TLS_FIELDS(proposals)
  bool operator==(const Commit&) const = default;
};

using ApplicationData = Tagged<ContentType::application, Bytes>;
using ProposalContent = Tagged<ContentType::proposal, Proposal>;
using Content = std::variant<ApplicationData, ProposalContent, Commit>;

struct Framed {
  Bytes authenticated_data;
  Content content;

  void tls_encode(Writer& w) const {
    encode(w, variant_tag(content));
    encode(w, authenticated_data);
    encode_variant_body(w, content);
  }
  Status tls_decode(Reader& r) {
    CV_TRY(const ContentType type, decode<ContentType>(r));
    CV_TRY(authenticated_data, decode<Bytes>(r));
    CV_TRY(content, decode_variant_body<Content>(r, type));
    return {};
  }
  bool operator==(const Framed&) const = default;
};

}  // namespace test_types

namespace {

using namespace test_types;  // NOLINT(google-build-using-namespace)

// Compile-time classification.
static_assert(Encodable<Foo> && FieldStruct<Foo> && !CustomCodec<Foo>);
static_assert(Encodable<Framed> && CustomCodec<Framed>);
static_assert(Encodable<uint8_t> && Encodable<uint64_t> && Encodable<Color>);
static_assert(!Encodable<int> && !Encodable<bool> && !Encodable<char> && !Encodable<int64_t>);
static_assert(TaggedVariant<Proposal> && std::same_as<VariantTag<Proposal>, ProposalType>);
static_assert(TaggedVariant<Content> && std::same_as<VariantTag<Content>, ContentType>);
static_assert(!TaggedVariant<std::variant<Add, Commit>>);  // two tag types
static_assert(!TaggedVariant<std::variant<Add, Bytes>>);   // Bytes has no tag
static_assert(!TaggedVariant<std::variant<uint8_t>>);
static_assert(ValidatedEnum<Color> && !ValidatedEnum<Level>);
static_assert(has_variant_tag<Proposal>(ProposalType::remove));
static_assert(!has_variant_tag<Proposal>(static_cast<ProposalType>(9)));

template <class T>
void expect_error(const Result<T>& r, Errc e) {
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(e)) << r.error().to_string();
}

Everything sample() {
  Everything e;
  e.u8 = 0xa1;
  e.u16 = 0xb2c3;
  e.u32 = 0xd4e5f607;
  e.u64 = 0x0102030405060708;
  e.color = Color::blue;
  e.level = Level::high;
  e.bytes = {1, 2, 3};
  e.secret = SecretBytes(Bytes{9, 9, 9, 9});
  e.fixed = {0xde, 0xad, 0xbe, 0xef};
  e.pair = {0x1234, 0x5678};
  e.numbers = {1, 0xffff, 64};
  e.maybe_foo = Foo{{0x61, 0x62}, 77};
  e.proposals = {Add{Foo{{0xaa}, 1}}, Remove{7}, Update{std::nullopt}, Update{Bytes{0x01}}};
  e.nested = std::vector<std::optional<Foo>>{std::nullopt, Foo{Bytes(70, 0x55), 2}};
  e.blobs = {{}, Bytes(300, 0x11)};
  return e;
}

TEST(Tls, StructKnownAnswer) {
  const Foo foo{{0x61, 0x62, 0x63}, 5};
  const Bytes want = {0x03, 0x61, 0x62, 0x63, 0, 0, 0, 0, 0, 0, 0, 0x05};
  EXPECT_EQ(encode(foo), want);
  auto back = decode<Foo>(want);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, foo);
}

TEST(Tls, ScalarsEnumsOptionalsAndArraysKnownAnswers) {
  EXPECT_EQ(encode(uint16_t{0x0102}), (Bytes{0x01, 0x02}));
  EXPECT_EQ(encode(Level::high), (Bytes{0, 0, 0, 2}));
  EXPECT_EQ(encode(std::optional<uint8_t>{}), (Bytes{0x00}));
  EXPECT_EQ(encode(std::optional<uint8_t>{7}), (Bytes{0x01, 0x07}));
  EXPECT_EQ(encode(std::vector<uint16_t>{1, 2}), (Bytes{0x04, 0, 1, 0, 2}));
  EXPECT_EQ(encode(std::vector<uint16_t>{}), (Bytes{0x00}));
  EXPECT_EQ(encode(std::array<uint8_t, 3>{1, 2, 3}), (Bytes{1, 2, 3}));
  EXPECT_EQ(encode(std::array<uint16_t, 2>{1, 2}), (Bytes{0, 1, 0, 2}));
  EXPECT_EQ(encode(Bytes{0xff}), (Bytes{0x01, 0xff}));
  EXPECT_EQ(encode(SecretBytes(Bytes{0xff, 0xfe})), (Bytes{0x02, 0xff, 0xfe}));
  EXPECT_EQ(encode(Empty{}), Bytes{});
}

TEST(Tls, VariantKnownAnswers) {
  EXPECT_EQ(encode(Proposal{Remove{7}}), (Bytes{0x00, 0x03, 0, 0, 0, 7}));
  EXPECT_EQ(encode(Proposal{Add{Foo{{0xaa}, 1}}}),
            (Bytes{0x00, 0x01, 0x01, 0xaa, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(encode(Proposal{Update{}}), (Bytes{0x00, 0x02, 0x00}));
  auto back = decode<Proposal>(Bytes{0x00, 0x03, 0, 0, 1, 0});
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(std::holds_alternative<Remove>(*back));
  EXPECT_EQ(std::get<Remove>(*back).removed, 256u);
}

TEST(Tls, EverythingRoundTrips) {
  const Everything e = sample();
  const Bytes wire = encode(e);
  auto back = decode<Everything>(wire);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, e);
  EXPECT_EQ(encode(*back), wire);
  // The default value round trips as well.
  auto zero = decode<Everything>(encode(Everything{}));
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(*zero, Everything{});
}

TEST(Tls, EveryTruncationFailsCleanly) {
  const Bytes wire = encode(sample());
  for (size_t n = 0; n < wire.size(); ++n) {
    const BytesView prefix(wire.data(), n);
    Reader r(prefix);
    auto got = decode<Everything>(r);
    ASSERT_FALSE(got.ok()) << "prefix of " << n << " bytes decoded";
    const bool expected = got.error().is(Errc::truncated) || got.error().is(Errc::length_too_large);
    EXPECT_TRUE(expected) << n << ": " << got.error().to_string();
    EXPECT_EQ(r.position(), 0u) << n;
    EXPECT_EQ(r.depth(), 0u) << n;
  }
}

TEST(Tls, TrailingDataRejectedByTheWholeInputForm) {
  Bytes wire = encode(Foo{{1}, 2});
  wire.push_back(0x00);
  expect_error(decode<Foo>(wire), Errc::trailing_data);
  // The Reader form decodes one value and leaves the rest.
  Reader r(wire);
  auto foo = decode<Foo>(r);
  ASSERT_TRUE(foo.ok());
  EXPECT_EQ(r.remaining(), 1u);
}

TEST(Tls, UnknownVariantTagRejected) {
  expect_error(decode<Proposal>(Bytes{0x00, 0x09, 0, 0, 0, 0}), Errc::unknown_variant);
  expect_error(decode<Proposal>(Bytes{0x00, 0x00}), Errc::unknown_variant);
  expect_error(decode<Proposal>(Bytes{0x01, 0x03, 0, 0, 0, 0}), Errc::unknown_variant);
  // Inside a vector, the error names the innermost field that holds it.
  Everything e = sample();
  Bytes wire = encode(e);
  const Bytes remove = {0x00, 0x03, 0, 0, 0, 7};
  auto at = std::search(wire.begin(), wire.end(), remove.begin(), remove.end());
  ASSERT_NE(at, wire.end());
  *(at + 1) = 0x04;
  auto got = decode<Everything>(wire);
  expect_error(got, Errc::unknown_variant);
  EXPECT_EQ(got.error().detail(), "proposals");
}

TEST(Tls, BadOptionalByteRejected) {
  expect_error(decode<std::optional<uint8_t>>(Bytes{0x02, 0x07}), Errc::invalid_optional);
  expect_error(decode<std::optional<uint8_t>>(Bytes{0xff, 0x07}), Errc::invalid_optional);
  expect_error(decode<std::optional<uint8_t>>(Bytes{0x01}), Errc::truncated);
  auto none = decode<std::optional<uint8_t>>(Bytes{0x00});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(Tls, ErrorDetailNamesTheInnermostField) {
  // Foo cut inside its epoch.
  auto cut = decode<Foo>(Bytes{0x01, 0xaa, 0x00, 0x00});
  expect_error(cut, Errc::truncated);
  EXPECT_EQ(cut.error().detail(), "epoch");
  // Everything with a bad presence byte for maybe_foo.
  Everything e = sample();
  e.maybe_foo.reset();
  Bytes wire = encode(e);
  // Offset of maybe_foo: 1+2+4+8+1+4 + (1+3) + (1+4) + 4 + 4 + (1+6).
  const size_t offset = 1 + 2 + 4 + 8 + 1 + 4 + 4 + 5 + 4 + 4 + 7;
  ASSERT_EQ(wire[offset], 0x00);
  wire[offset] = 0x02;
  auto bad = decode<Everything>(wire);
  expect_error(bad, Errc::invalid_optional);
  EXPECT_EQ(bad.error().detail(), "maybe_foo");
}

TEST(Tls, EnumValueCheckIsOptIn) {
  expect_error(decode<Color>(Bytes{0x03}), Errc::invalid_value);
  EXPECT_EQ(*decode<Color>(Bytes{0x02}), Color::blue);
  // Level has no check: any value decodes and re-encodes unchanged.
  auto level = decode<Level>(Bytes{0xff, 0xff, 0xff, 0xff});
  ASSERT_TRUE(level.ok());
  EXPECT_EQ(static_cast<uint32_t>(*level), 0xffffffffu);
  EXPECT_EQ(encode(*level), (Bytes{0xff, 0xff, 0xff, 0xff}));
}

// Encodes a chain of `depth` nodes without recursion: each node is its
// label and a vector holding the next node.
Bytes node_chain(size_t depth) {
  Writer w;
  std::vector<Writer::VectorMark> marks;
  for (size_t i = 0; i < depth; ++i) {
    w.write_u8(static_cast<uint8_t>(i));
    marks.push_back(w.begin_vector());
  }
  for (size_t i = depth; i > 0; --i) w.end_vector(marks[i - 1]);
  return w.take();
}

size_t chain_length(const Node& n) {
  size_t len = 1;
  const Node* at = &n;
  while (!at->children.empty()) {
    at = &at->children.front();
    ++len;
  }
  return len;
}

TEST(Tls, RecursiveTypesRoundTripWithinTheDepthLimit) {
  const Bytes wire = node_chain(10);
  auto node = decode<Node>(wire);
  ASSERT_TRUE(node.ok()) << node.error().to_string();
  EXPECT_EQ(chain_length(*node), 10u);
  EXPECT_EQ(encode(*node), wire);
}

TEST(Tls, DepthLimitStopsHostileNesting) {
  // Far deeper than the default limit: fails cleanly, no stack overflow.
  expect_error(decode<Node>(node_chain(100000)), Errc::nesting_too_deep);
  // The limit is configurable, and the same input passes with a higher one.
  const Bytes wire = node_chain(8);
  expect_error(decode<Node>(wire, ReaderLimits{.max_depth = 4, .max_length = kMaxVarint}),
               Errc::nesting_too_deep);
  EXPECT_TRUE(decode<Node>(wire, ReaderLimits{.max_depth = 16, .max_length = kMaxVarint}).ok());
  // Vectors of vectors count too.
  using Deep = std::vector<std::vector<std::vector<uint16_t>>>;
  const Bytes three = {0x02, 0x01, 0x00};
  expect_error(decode<Deep>(three, ReaderLimits{.max_depth = 2, .max_length = kMaxVarint}),
               Errc::nesting_too_deep);
  EXPECT_TRUE(decode<Deep>(three, ReaderLimits{.max_depth = 3, .max_length = kMaxVarint}).ok());
}

TEST(Tls, HugeLengthRejectedWithoutAllocating) {
  // Each claims 2^30-1 bytes and carries three.
  const Bytes opaque = {0xbf, 0xff, 0xff, 0xff, 1, 2, 3};
  g_largest_allocation = 0;
  g_tracking = true;
  auto bytes = decode<Bytes>(opaque);
  auto secret = decode<SecretBytes>(opaque);
  auto items = decode<std::vector<Foo>>(opaque);
  auto foo = decode<Foo>(opaque);
  g_tracking = false;
  expect_error(bytes, Errc::length_too_large);
  expect_error(secret, Errc::length_too_large);
  expect_error(items, Errc::length_too_large);
  expect_error(foo, Errc::length_too_large);
  EXPECT_EQ(foo.error().detail(), "group_id");
  EXPECT_LT(g_largest_allocation, size_t{4096});
}

TEST(Tls, OwnedFieldsCopyOnlyTheirBytesAndViewsDoNotCopy) {
  const Bytes wire = {0x03, 0x0a, 0x0b, 0x0c, 0x7f};
  auto v = decode<View>(wire);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->data.data(), wire.data() + 1);
  EXPECT_EQ(v->data.size(), 3u);
  EXPECT_EQ(v->after, 0x7f);
  EXPECT_EQ(encode(*v), wire);

  const Bytes big_wire = encode(Foo{Bytes(100000, 0x42), 1});
  g_largest_allocation = 0;
  g_tracking = true;
  Reader r(big_wire);
  auto foo = decode<Foo>(r);
  g_tracking = false;
  ASSERT_TRUE(foo.ok());
  EXPECT_EQ(foo->group_id.size(), 100000u);
  // The field owns a copy of its 100000 bytes and nothing the size of the
  // whole input (100012 bytes) was allocated.
  EXPECT_GE(g_largest_allocation, size_t{100000});
  EXPECT_LT(g_largest_allocation, big_wire.size());
}

TEST(Tls, CustomCodecWithEarlierTag) {
  const Framed app{{0xaa}, ApplicationData{{0x68, 0x69}}};
  const Bytes want = {0x01, 0x01, 0xaa, 0x02, 0x68, 0x69};
  EXPECT_EQ(encode(app), want);
  auto back = decode<Framed>(want);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, app);

  const Framed commit{{}, Commit{{Proposal{Remove{1}}, Proposal{Update{}}}}};
  auto commit_back = decode<Framed>(encode(commit));
  ASSERT_TRUE(commit_back.ok());
  EXPECT_EQ(*commit_back, commit);

  const Framed proposal{{}, ProposalContent{Proposal{Remove{2}}}};
  EXPECT_EQ(encode(proposal), (Bytes{0x02, 0x00, 0x00, 0x03, 0, 0, 0, 2}));
  auto proposal_back = decode<Framed>(encode(proposal));
  ASSERT_TRUE(proposal_back.ok());
  EXPECT_EQ(*proposal_back, proposal);

  expect_error(decode<Framed>(Bytes{0x04, 0x00, 0x00}), Errc::unknown_variant);
}

TEST(Tls, VariantBodyHelpers) {
  const Proposal p = Remove{5};
  EXPECT_EQ(variant_tag(p), ProposalType::remove);
  Writer w;
  encode_variant_body(w, p);
  const Bytes body = w.take();
  EXPECT_EQ(body, (Bytes{0, 0, 0, 5}));
  Reader r(body);
  auto back = decode_variant_body<Proposal>(r, ProposalType::remove);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, p);
  EXPECT_TRUE(r.empty());
  Reader unknown(body);
  expect_error(decode_variant_body<Proposal>(unknown, static_cast<ProposalType>(7)),
               Errc::unknown_variant);
  EXPECT_EQ(unknown.position(), 0u);
  Reader cut(BytesView(body).first(2));
  expect_error(decode_variant_body<Proposal>(cut, ProposalType::remove), Errc::truncated);
  EXPECT_EQ(cut.position(), 0u);
}

TEST(Tls, ZeroSizeVectorItemsRejected) {
  expect_error(decode<std::vector<Empty>>(Bytes{0x01, 0x00}), Errc::invalid_value);
  auto none = decode<std::vector<Empty>>(Bytes{0x00});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(Tls, FailedDecodeRewindsTheReader) {
  // A valid Foo, then a Foo cut short.
  Bytes wire = encode(Foo{{1, 2}, 3});
  const Bytes second = encode(Foo{{4, 5, 6}, 7});
  wire.insert(wire.end(), second.begin(), second.end() - 1);
  Reader r(wire);
  ASSERT_TRUE(decode<Foo>(r).ok());
  const size_t mid = r.position();
  expect_error(decode<Foo>(r), Errc::truncated);
  EXPECT_EQ(r.position(), mid);
  EXPECT_EQ(r.depth(), 0u);
}

TEST(Tls, NestedContainersRoundTrip) {
  using Deep = std::vector<std::optional<std::vector<Proposal>>>;
  const Deep deep = {std::nullopt, std::vector<Proposal>{},
                     std::vector<Proposal>{Add{Foo{Bytes(100, 1), 9}}, Remove{3}},
                     std::vector<Proposal>{Update{Bytes(20000, 2)}}};
  const Bytes wire = encode(deep);
  auto back = decode<Deep>(wire);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(*back, deep);
  EXPECT_EQ(encode(*back), wire);
}

TEST(Tls, ErrorsCarryTheCodecDomain) {
  const Error e(Errc::non_minimal_varint);
  EXPECT_EQ(e.domain(), "codec");
  EXPECT_EQ(e.to_string(), "codec: varint not minimally encoded");
  EXPECT_EQ(Error(Errc::nesting_too_deep).message(), "nesting too deep");
}

}  // namespace
}  // namespace conclave::codec
