#include "conclave/net/stun_message.h"

#include <gtest/gtest.h>

#include <string>

#include "conclave/base/encoding.h"
#include "conclave/crypto/hash.h"

namespace conclave::net {
namespace {

// Hex with spaces and newlines, as the RFCs print it.
Bytes hex(std::string_view text) {
  std::string compact;
  for (char c : text) {
    if (c != ' ' && c != '\n') compact += c;
  }
  auto b = from_hex(compact);
  EXPECT_TRUE(b.ok()) << text;
  return b.ok() ? *b : Bytes{};
}

StunTransactionId txid(std::string_view text) {
  Bytes b = hex(text);
  StunTransactionId id{};
  EXPECT_EQ(b.size(), id.size());
  std::copy_n(b.begin(), std::min(b.size(), id.size()), id.begin());
  return id;
}

// RFC 5769 section 2.1, "Sample Request". Username "evtj:h6vY", password
// "VOkJxbRl1RmTxUk/WvJxBt", SOFTWARE "STUN test client"; USERNAME is padded
// with spaces, which the integrity and fingerprint cover as sent.
const Bytes kSampleRequest =
    hex("00010058 2112a442 b7e7a701 bc34d686 fa87dfae"
        "80220010 5354554e 20746573 7420636c 69656e74"
        "00240004 6e0001ff"
        "80290008 932ff9b1 51263b36"
        "00060009 6576746a 3a683676 59202020"
        "00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2"
        "80280004 e57a3bcf");

// RFC 5769 section 2.2, "Sample IPv4 Response": SOFTWARE "test vector",
// XOR-MAPPED-ADDRESS 192.0.2.1:32853, same password.
const Bytes kSampleIpv4Response =
    hex("0101003c 2112a442 b7e7a701 bc34d686 fa87dfae"
        "8022000b 74657374 20766563 746f7220"
        "00200008 0001a147 e112a643"
        "00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7"
        "80280004 c07d4c96");

// RFC 5769 section 2.3, "Sample IPv6 Response": XOR-MAPPED-ADDRESS
// [2001:db8:1234:5678:11:2233:4455:6677]:32853.
const Bytes kSampleIpv6Response =
    hex("01010048 2112a442 b7e7a701 bc34d686 fa87dfae"
        "8022000b 74657374 20766563 746f7220"
        "00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9"
        "00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41"
        "80280004 c8fb0b4c");

// RFC 5769 section 2.4, "Sample Request with Long-Term Authentication".
const Bytes kSampleLongTermRequest =
    hex("00010060 2112a442 78ad3433 c6ad72c0 29da412e"
        "00060012 e3839ee3 8388e383 aae38383 e382afe3 82b90000"
        "0015001c 662f2f34 39396b39 35346436 4f4c3334 6f4c3946 53547679 36347341"
        "0014000b 6578616d 706c652e 6f726700"
        "00080014 f6702465 6dd64a3e 02b8e071 2e85c9a2 8ca89666");

const std::string kPassword = "VOkJxbRl1RmTxUk/WvJxBt";
const StunTransactionId kSampleTxid = txid("b7e7a701 bc34d686 fa87dfae");

TEST(StunClassify, Rfc7983Ranges) {
  EXPECT_EQ(classify(0), PacketKind::stun);
  EXPECT_EQ(classify(3), PacketKind::stun);
  EXPECT_EQ(classify(4), PacketKind::unknown);
  EXPECT_EQ(classify(19), PacketKind::unknown);  // ZRTP
  EXPECT_EQ(classify(20), PacketKind::dtls);
  EXPECT_EQ(classify(22), PacketKind::dtls);  // handshake
  EXPECT_EQ(classify(63), PacketKind::dtls);
  EXPECT_EQ(classify(64), PacketKind::unknown);  // TURN channel
  EXPECT_EQ(classify(127), PacketKind::unknown);
  EXPECT_EQ(classify(128), PacketKind::rtp_rtcp);
  EXPECT_EQ(classify(0x80), PacketKind::rtp_rtcp);
  EXPECT_EQ(classify(191), PacketKind::rtp_rtcp);
  EXPECT_EQ(classify(192), PacketKind::unknown);
  EXPECT_EQ(classify(255), PacketKind::unknown);
}

TEST(StunIsStun, SamplesAndNonStun) {
  EXPECT_TRUE(is_stun(kSampleRequest));
  EXPECT_TRUE(is_stun(kSampleIpv4Response));
  Bytes bad = kSampleRequest;
  bad[4] ^= 1;  // cookie
  EXPECT_FALSE(is_stun(bad));
  bad = kSampleRequest;
  bad[0] |= 0x40;
  EXPECT_FALSE(is_stun(bad));
  bad = kSampleRequest;
  bad.push_back(0);  // length no longer matches
  EXPECT_FALSE(is_stun(bad));
  EXPECT_FALSE(is_stun(BytesView(kSampleRequest).first(19)));
  EXPECT_FALSE(is_stun({}));
}

TEST(StunCrc32, CheckValue) {
  // The CRC-32 check value of "123456789" (ITU V.42 / RFC 1952).
  EXPECT_EQ(crc32(as_bytes("123456789")), 0xCBF43926u);
  EXPECT_EQ(crc32({}), 0u);
}

TEST(StunMessage, Rfc5769SampleRequest) {
  auto m = StunMessage::parse(kSampleRequest);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->method(), StunMethod::binding);
  EXPECT_EQ(m->message_class(), StunClass::request);
  EXPECT_EQ(m->transaction_id(), kSampleTxid);
  EXPECT_EQ(m->software(), "STUN test client");
  EXPECT_EQ(m->priority(), 0x6e0001ffu);
  EXPECT_EQ(m->ice_controlled(), 0x932ff9b151263b36u);
  EXPECT_FALSE(m->ice_controlling());
  EXPECT_FALSE(m->use_candidate());
  EXPECT_EQ(m->username(), "evtj:h6vY");
  EXPECT_TRUE(m->unknown_comprehension_required().empty());
  EXPECT_TRUE(m->verify_integrity(as_bytes(kPassword)).ok());
  EXPECT_TRUE(m->verify_fingerprint().ok());
  auto wrong = m->verify_integrity(as_bytes("VOkJxbRl1RmTxUk/WvJxBu"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_TRUE(wrong.error().is(StunErrc::integrity_mismatch));
  auto no_sha256 = m->verify_integrity_sha256(as_bytes(kPassword));
  ASSERT_FALSE(no_sha256.ok());
  EXPECT_TRUE(no_sha256.error().is(StunErrc::missing_attribute));
  auto attrs = m->attributes();
  ASSERT_EQ(attrs.size(), 6u);
  EXPECT_EQ(attrs[3].type, 0x0006);
  EXPECT_EQ(to_hex(attrs[3].padding), "202020");
}

TEST(StunMessage, Rfc5769SampleRequestBuiltByteForByte) {
  StunMessageBuilder b(StunMethod::binding, StunClass::request, kSampleTxid);
  b.add_software("STUN test client")
      .add_priority(0x6e0001ff)
      .add_ice_controlled(0x932ff9b151263b36)
      .add(StunAttributeType::username, as_bytes("evtj:h6vY"), as_bytes("   "))
      .add_message_integrity(as_bytes(kPassword))
      .add_fingerprint();
  EXPECT_EQ(to_hex(b.bytes()), to_hex(kSampleRequest));
}

TEST(StunMessage, Rfc5769SampleIpv4Response) {
  auto m = StunMessage::parse(kSampleIpv4Response);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->message_class(), StunClass::success_response);
  EXPECT_EQ(m->method(), StunMethod::binding);
  EXPECT_EQ(m->transaction_id(), kSampleTxid);
  EXPECT_EQ(m->software(), "test vector");
  auto addr = m->xor_mapped_address();
  ASSERT_TRUE(addr);
  EXPECT_EQ(*addr, TransportAddress::ipv4({192, 0, 2, 1}, 32853));
  EXPECT_EQ(addr->to_string(), "192.0.2.1:32853");
  EXPECT_TRUE(m->verify_integrity(as_bytes(kPassword)).ok());
  EXPECT_TRUE(m->verify_fingerprint().ok());

  StunMessageBuilder b(StunMethod::binding, StunClass::success_response, kSampleTxid);
  b.add(StunAttributeType::software, as_bytes("test vector"), as_bytes(" "))
      .add_xor_mapped_address(*addr)
      .add_message_integrity(as_bytes(kPassword))
      .add_fingerprint();
  EXPECT_EQ(to_hex(b.bytes()), to_hex(kSampleIpv4Response));
}

TEST(StunMessage, Rfc5769SampleIpv6Response) {
  auto m = StunMessage::parse(kSampleIpv6Response);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  auto addr = m->xor_mapped_address();
  ASSERT_TRUE(addr);
  const auto expected = TransportAddress::ipv6({0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78,
                                                0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77},
                                               32853);
  EXPECT_EQ(*addr, expected);
  EXPECT_EQ(addr->to_string(), "[2001:db8:1234:5678:11:2233:4455:6677]:32853");
  EXPECT_TRUE(m->verify_integrity(as_bytes(kPassword)).ok());
  EXPECT_TRUE(m->verify_fingerprint().ok());

  StunMessageBuilder b(StunMethod::binding, StunClass::success_response, kSampleTxid);
  b.add(StunAttributeType::software, as_bytes("test vector"), as_bytes(" "))
      .add_xor_mapped_address(expected)
      .add_message_integrity(as_bytes(kPassword))
      .add_fingerprint();
  EXPECT_EQ(to_hex(b.bytes()), to_hex(kSampleIpv6Response));
}

TEST(StunMessage, Rfc5769SampleLongTermRequest) {
  auto m = StunMessage::parse(kSampleLongTermRequest);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->username(),
            "\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9");
  EXPECT_EQ(m->nonce(), "f//499k954d6OL34oL9FSTvy64sA");
  EXPECT_EQ(m->realm(), "example.org");
  EXPECT_FALSE(m->has(StunAttributeType::fingerprint));
  // The long-term key MD5("<username>:example.org:TheMatrIX") (RFC 8489
  // section 9.2.2), computed with md5sum: an input here, not a result.
  const Bytes key = hex("e8ca7ad59d5eb0518e312911d2dab2a9");
  EXPECT_TRUE(m->verify_integrity(key).ok());
  EXPECT_FALSE(m->verify_integrity(as_bytes("TheMatrIX")).ok());
  auto fp = m->verify_fingerprint();
  ASSERT_FALSE(fp.ok());
  EXPECT_TRUE(fp.error().is(StunErrc::missing_attribute));
}

// RFC 8489 appendix B.1 prints a Length of 0x9c, but its attributes add up
// to 0x88 bytes: as printed, the datagram is shorter than its Length says.
// With the Length corrected, it parses and its USERHASH is
// SHA-256("<username>:example.org") as section 14.4 defines.
TEST(StunMessage, Rfc8489SampleWithUserhash) {
  Bytes b =
      hex("0001009c 2112a442 78ad3433 c6ad72c0 29da412e"
          "001e0020 4a3cf38f ef6992bd a952c678 0417da0f 24819415 569e60b2 05c46e41 407f1704"
          "00150029 6f624d61 744a6f73 32414141 43662f2f 3439396b 39353464 364f4c33 346f4c39"
          "46535476 79363473 41000000"
          "0014000b 6578616d 706c652e 6f726700"
          "001c0020 e4686c8f 0edeb590 13e07090 010a93ef ccbccc54 4c0a45d9 f830aa6d 6f735a01");
  auto as_printed = StunMessage::parse(b);
  ASSERT_FALSE(as_printed.ok());
  EXPECT_TRUE(as_printed.error().is(StunErrc::truncated));
  b[3] = 0x88;
  auto m = StunMessage::parse(b);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->nonce(), "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA");
  EXPECT_EQ(m->realm(), "example.org");
  ASSERT_TRUE(m->userhash());
  EXPECT_EQ(to_hex(*m->userhash()),
            to_hex(crypto::hash(crypto::HashId::sha256,
                                as_bytes("\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3"
                                         "\x82\xaf\xe3\x82\xb9:example.org"))));
  EXPECT_TRUE(m->has(StunAttributeType::message_integrity_sha256));
}

TEST(StunMessage, EveryTruncationFails) {
  for (const Bytes* sample :
       {&kSampleRequest, &kSampleIpv4Response, &kSampleIpv6Response, &kSampleLongTermRequest}) {
    for (size_t n = 0; n < sample->size(); ++n) {
      auto m = StunMessage::parse(BytesView(*sample).first(n));
      EXPECT_FALSE(m.ok()) << "length " << n;
      EXPECT_FALSE(is_stun(BytesView(*sample).first(n))) << "length " << n;
    }
    EXPECT_TRUE(StunMessage::parse(*sample).ok());
  }
}

// The sample request with its Length field and the datagram cut to the
// first `n` attribute bytes (so only the attribute structure is wrong).
Bytes cut_body(size_t n) {
  Bytes b(kSampleRequest.begin(), kSampleRequest.begin() + static_cast<std::ptrdiff_t>(20 + n));
  put_be(MutableBytesView(b).subspan(2, 2), n);
  return b;
}

StunErrc parse_error(BytesView b);

TEST(StunMessage, MalformedHeaders) {
  auto err = [](const Bytes& b) { return parse_error(b); };
  Bytes b = kSampleRequest;
  b[0] = 0x80;
  EXPECT_EQ(err(b), StunErrc::not_stun);
  b = kSampleRequest;
  b[7] = 0x43;
  EXPECT_EQ(err(b), StunErrc::bad_magic_cookie);
  b = kSampleRequest;
  b[3] = 0x59;  // not a multiple of 4
  EXPECT_EQ(err(b), StunErrc::bad_length);
  b = kSampleRequest;
  b.insert(b.end(), {0, 0, 0, 0});  // bytes after the message
  EXPECT_EQ(err(b), StunErrc::bad_length);
  b = kSampleRequest;
  b[3] = 0x5c;  // longer than the datagram
  EXPECT_EQ(err(b), StunErrc::truncated);
  // Cut inside the SOFTWARE value: Length a multiple of 4, attribute overruns.
  EXPECT_EQ(err(cut_body(8)), StunErrc::attribute_overrun);
  // Cut after SOFTWARE plus 4 bytes of PRIORITY header: fine, then value missing.
  EXPECT_EQ(err(cut_body(24)), StunErrc::attribute_overrun);
  // A whole-attribute cut parses.
  EXPECT_TRUE(StunMessage::parse(cut_body(20)).ok());
}

StunErrc parse_error(BytesView b) {
  auto m = StunMessage::parse(b);
  EXPECT_FALSE(m.ok());
  return m.ok() ? StunErrc{} : static_cast<StunErrc>(m.error().code());
}

// Appends a raw attribute and fixes the Length, bypassing the builder.
void append_raw(Bytes& b, uint16_t type, BytesView value) {
  Bytes attr = concat({be_bytes(type, 2), be_bytes(value.size(), 2), value});
  attr.resize((attr.size() + 3) & ~size_t{3}, 0);
  b.insert(b.end(), attr.begin(), attr.end());
  put_be(MutableBytesView(b).subspan(2, 2), b.size() - 20);
}

const StunTransactionId kTxid = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

TEST(StunMessage, OnlyIntegrityAndFingerprintMayFollowIntegrity) {
  const BytesView key = as_bytes("secret");
  // MI, then USERNAME.
  StunMessageBuilder a(StunMethod::binding, StunClass::request, kTxid);
  a.add_message_integrity(key).add_username("a:b");
  EXPECT_EQ(parse_error(a.bytes()), StunErrc::attribute_after_integrity);
  // MI-SHA256, then MI.
  StunMessageBuilder b(StunMethod::binding, StunClass::request, kTxid);
  b.add_message_integrity_sha256(key).add_message_integrity(key);
  EXPECT_EQ(parse_error(b.bytes()), StunErrc::attribute_after_integrity);
  // MI twice.
  StunMessageBuilder c(StunMethod::binding, StunClass::request, kTxid);
  c.add_message_integrity(key).add_message_integrity(key);
  EXPECT_EQ(parse_error(c.bytes()), StunErrc::attribute_after_integrity);
  // Anything after FINGERPRINT, even another FINGERPRINT.
  Bytes d = kSampleRequest;
  append_raw(d, 0x8022, as_bytes("x"));
  EXPECT_EQ(parse_error(d), StunErrc::attribute_after_fingerprint);
  d = kSampleRequest;
  append_raw(d, 0x8028, be_bytes(0, 4));
  EXPECT_EQ(parse_error(d), StunErrc::attribute_after_fingerprint);

  // The allowed order: MI, MI-SHA256, FINGERPRINT; both HMACs verify, each
  // over its own prefix.
  StunMessageBuilder ok(StunMethod::binding, StunClass::request, kTxid);
  ok.add_username("a:b")
      .add_message_integrity(key)
      .add_message_integrity_sha256(key)
      .add_fingerprint();
  auto m = StunMessage::parse(ok.bytes());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_TRUE(m->verify_integrity(key).ok());
  EXPECT_TRUE(m->verify_integrity_sha256(key).ok());
  EXPECT_TRUE(m->verify_fingerprint().ok());
  EXPECT_FALSE(m->verify_integrity_sha256(as_bytes("other")).ok());
}

TEST(StunMessage, MalformedKnownAttributes) {
  struct Case {
    uint16_t type;
    Bytes value;
  };
  const Case cases[] = {
      {0x0024, Bytes(3, 0)},                        // PRIORITY: 4 bytes
      {0x0025, Bytes(1, 0)},                        // USE-CANDIDATE: empty
      {0x8029, Bytes(4, 0)},                        // ICE-CONTROLLED: 8 bytes
      {0x802A, Bytes(12, 0)},                       // ICE-CONTROLLING: 8 bytes
      {0x0020, hex("00030000 00000000")},           // XOR-MAPPED-ADDRESS family 3
      {0x0020, hex("00010000 00000000 00000000")},  // IPv4 with 12 bytes
      {0x0020, hex("00020000 00000000")},           // IPv6 with 8 bytes
      {0x0001, hex("0001")},                        // MAPPED-ADDRESS too short
      {0x0008, Bytes(16, 0)},                       // MESSAGE-INTEGRITY: 20 bytes
      {0x001C, Bytes(12, 0)},                       // MI-SHA256: 16..32
      {0x001C, Bytes(36, 0)},
      {0x001C, Bytes(18, 0)},     // not a multiple of 4
      {0x8028, Bytes(8, 0)},      // FINGERPRINT: 4 bytes
      {0x0009, hex("00000700")},  // ERROR-CODE class 7
      {0x0009, hex("00000264")},  // class 2
      {0x0009, hex("00000464")},  // number 100
      {0x0009, hex("000004")},    // too short
      {0x000A, hex("000100")},    // UNKNOWN-ATTRIBUTES odd
      {0x001E, Bytes(31, 0)},     // USERHASH: 32 bytes
      {0x0006, Bytes(764, 'a')},  // USERNAME over 763 bytes
      {0x8022, Bytes(764, 'a')},  // SOFTWARE over 763 bytes
  };
  for (size_t i = 0; i < std::size(cases); ++i) {
    Bytes b = StunMessageBuilder(StunMethod::binding, StunClass::request, kTxid).bytes();
    append_raw(b, cases[i].type, cases[i].value);
    EXPECT_EQ(parse_error(b), StunErrc::bad_attribute) << "case " << i;
  }
}

TEST(StunMessage, MessageTypeBits) {
  struct Case {
    StunMethod method;
    StunClass cls;
    uint16_t type;
  };
  // RFC 8489 section 5: 0x0001 Binding request, 0x0101 success, 0x0111
  // error, 0x0011 indication; the method's bits skip positions 4 and 8.
  const Case cases[] = {
      {StunMethod::binding, StunClass::request, 0x0001},
      {StunMethod::binding, StunClass::success_response, 0x0101},
      {StunMethod::binding, StunClass::error_response, 0x0111},
      {StunMethod::binding, StunClass::indication, 0x0011},
      {static_cast<StunMethod>(0x0FFF), StunClass::request, 0x3EEF},
      {static_cast<StunMethod>(0x0FFF), StunClass::error_response, 0x3FFF},
      {static_cast<StunMethod>(0x0010), StunClass::request, 0x0020},
      {static_cast<StunMethod>(0x0080), StunClass::request, 0x0200},
  };
  for (const auto& c : cases) {
    StunMessageBuilder b(c.method, c.cls, kTxid);
    EXPECT_EQ((b.bytes()[0] << 8) | b.bytes()[1], c.type);
    auto m = StunMessage::parse(b.bytes());
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->method(), c.method);
    EXPECT_EQ(m->message_class(), c.cls);
    EXPECT_EQ(m->transaction_id(), kTxid);
  }
}

TEST(StunMessage, BuilderRoundTrip) {
  const auto v4 = TransportAddress::ipv4({10, 0, 0, 7}, 5000);
  const auto v6 = TransportAddress::ipv6(
      {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef}, 65535);
  StunMessageBuilder b(StunMethod::binding, StunClass::error_response, kTxid);
  b.add_error_code(420, "Unknown Attribute")
      .add_unknown_attributes({0x7777, 0x0003})
      .add_mapped_address(v4)
      .add_xor_mapped_address(v6)
      .add_username("server:client")
      .add_software("conclave")
      .add_priority(0x12345678)
      .add_use_candidate()
      .add_ice_controlling(0x0102030405060708)
      .add(0x7777, as_bytes("abcde"))
      .add(0x7777, as_bytes("second"))
      .add(0xC057, be_bytes(1, 4))
      .add_message_integrity(as_bytes("pw"))
      .add_fingerprint();
  const Bytes wire = b.bytes();
  ASSERT_EQ(wire.size() % 4, 0u);
  auto m = StunMessage::parse(wire);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(to_hex(m->bytes()), to_hex(wire));
  EXPECT_EQ(m->message_class(), StunClass::error_response);
  ASSERT_TRUE(m->error_code());
  EXPECT_EQ(m->error_code()->code, 420);
  EXPECT_EQ(m->error_code()->reason, "Unknown Attribute");
  EXPECT_EQ(m->unknown_attributes(), (std::vector<uint16_t>{0x7777, 0x0003}));
  EXPECT_EQ(m->mapped_address(), v4);
  EXPECT_EQ(m->xor_mapped_address(), v6);
  EXPECT_EQ(m->username(), "server:client");
  EXPECT_EQ(m->software(), "conclave");
  EXPECT_EQ(m->priority(), 0x12345678u);
  EXPECT_TRUE(m->use_candidate());
  EXPECT_EQ(m->ice_controlling(), 0x0102030405060708u);
  EXPECT_FALSE(m->ice_controlled());
  EXPECT_EQ(to_hex(*m->find(0x7777)), to_hex(as_bytes("abcde")));
  EXPECT_EQ(m->unknown_comprehension_required(), (std::vector<uint16_t>{0x7777}));
  EXPECT_TRUE(m->verify_integrity(as_bytes("pw")).ok());
  EXPECT_TRUE(m->verify_fingerprint().ok());
  EXPECT_EQ(m->attributes().size(), 14u);
  // Padding written by the builder is zero.
  for (const auto& a : m->attributes()) {
    for (uint8_t p : a.padding) EXPECT_EQ(p, 0);
  }

  // Rebuilding from the parsed attributes gives the same bytes.
  StunMessageBuilder again(m->method(), m->message_class(), m->transaction_id());
  for (const auto& a : m->attributes()) again.add(a.type, a.value, a.padding);
  EXPECT_EQ(to_hex(again.bytes()), to_hex(wire));
}

TEST(StunMessage, TamperingIsDetected) {
  StunMessageBuilder b(StunMethod::binding, StunClass::request, kTxid);
  b.add_username("a:b").add_priority(7).add_message_integrity(as_bytes("pw"));
  const Bytes signed_only = b.bytes();
  b.add_fingerprint();
  const Bytes full = b.bytes();

  // Any changed byte of the covered part breaks the fingerprint; the HMAC
  // covers everything before it (the Length excepted: it is replaced).
  for (size_t i = 0; i < full.size(); ++i) {
    Bytes t = full;
    t[i] ^= 0x01;
    auto m = StunMessage::parse(t);
    if (!m.ok()) continue;  // header bits, lengths: not STUN any more
    EXPECT_FALSE(m->verify_fingerprint().ok()) << "byte " << i;
  }
  for (size_t i = 0; i < signed_only.size(); ++i) {
    if (i == 2 || i == 3) continue;  // Length
    Bytes t = signed_only;
    t[i] ^= 0x01;
    auto m = StunMessage::parse(t);
    if (!m.ok()) continue;
    auto v = m->verify_integrity(as_bytes("pw"));
    ASSERT_FALSE(v.ok()) << "byte " << i;
    // A changed MESSAGE-INTEGRITY type makes the attribute missing instead.
    EXPECT_TRUE(v.error().is(StunErrc::integrity_mismatch) ||
                v.error().is(StunErrc::missing_attribute))
        << "byte " << i;
  }
}

TEST(StunMessage, FirstOfDuplicateAttributesWins) {
  StunMessageBuilder b(StunMethod::binding, StunClass::request, kTxid);
  b.add_username("first").add_username("second");
  auto m = StunMessage::parse(b.bytes());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->username(), "first");
  EXPECT_FALSE(m->software());
  EXPECT_FALSE(m->xor_mapped_address());
  EXPECT_FALSE(m->error_code());
  EXPECT_TRUE(m->unknown_attributes().empty());
}

TEST(StunMessage, ErrorsHaveTheStunDomain) {
  Error e(StunErrc::bad_attribute);
  EXPECT_EQ(e.domain(), "stun");
  EXPECT_EQ(e.message(), "malformed STUN attribute value");
}

}  // namespace
}  // namespace conclave::net
