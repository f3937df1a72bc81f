// STUN messages (RFC 8489) as the ICE-lite responder needs them, plus the
// RFC 7983 first-byte demultiplexer of the one media port.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |0 0|     STUN Message Type     |         Message Length        |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                         Magic Cookie                          |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                     Transaction ID (96 bits)                  |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   | Type | Length | Value (padded to 4 bytes) | Type | Length | ...
//
//   datagram --classify()--> stun --StunMessage::parse()--> StunMessage
//        (attributes checked)    verify_fingerprint(), verify_integrity(key)
//   StunMessageBuilder: add_*() ... add_message_integrity(key),
//        add_fingerprint(), bytes()
//
// parse() accepts a whole datagram only: the Length field must equal the
// bytes that follow the header and be a multiple of 4, the cookie must be
// 0x2112A442, every attribute must fit, and every attribute this codec knows
// must have a well-formed value (so the accessors cannot fail; a malformed
// one is StunErrc::bad_attribute). Stricter than RFC 8489 (which says to
// ignore them): after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and
// FINGERPRINT may follow, and nothing may follow FINGERPRINT. A parsed
// message keeps its datagram, so integrity and fingerprint are checked over
// the bytes as received (padding included: RFC 8489 lets senders put
// anything there, and RFC 5769's sample request does).
//
// Unknown attributes are kept; those in the comprehension-required range
// (0x0000-0x7FFF) are listed by unknown_comprehension_required() so that a
// server can answer 420 (Unknown Attribute).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"

namespace conclave::net {

enum class StunErrc {
  truncated = 1,                // shorter than the header or its Length
  not_stun,                     // the first two bits are not zero
  bad_magic_cookie,             // not 0x2112A442 (RFC 3489 STUN is not supported)
  bad_length,                   // Length not a multiple of 4, or bytes after it
  attribute_overrun,            // an attribute runs past the end of the message
  bad_attribute,                // a known attribute with a malformed value
  attribute_after_integrity,    // other than MI-SHA256/FINGERPRINT after MESSAGE-INTEGRITY
  attribute_after_fingerprint,  // FINGERPRINT is not the last attribute
  missing_attribute,            // verify_*() on a message without the attribute
  integrity_mismatch,           // the HMAC does not match the key
  fingerprint_mismatch,         // the CRC-32 does not match
};

std::string_view error_domain(StunErrc);
std::string_view error_message(StunErrc e);

// RFC 7983 section 7: what the first byte of a datagram on the shared media
// port says it is. ZRTP (16-19) and TURN channels (64-79) are not used here
// and count as unknown.
enum class PacketKind : uint8_t { stun, dtls, rtp_rtcp, unknown };

PacketKind classify(uint8_t first_byte);

// Cheap demux test: at least a header, first two bits zero, the magic
// cookie, and a Length that is a multiple of 4 and matches the datagram.
bool is_stun(BytesView datagram);

// CRC-32 of ITU V.42 / RFC 1952 (reflected polynomial 0xEDB88320), as the
// FINGERPRINT attribute uses before its XOR with 0x5354554E.
uint32_t crc32(BytesView data);

inline constexpr uint32_t kStunMagicCookie = 0x2112A442;
inline constexpr size_t kStunHeaderSize = 20;

using StunTransactionId = std::array<uint8_t, 12>;

// The message class: bits C1 C0 of the message type.
enum class StunClass : uint8_t {
  request = 0,
  indication = 1,
  success_response = 2,
  error_response = 3,
};

// The 12-bit method. Other values are valid on the wire and kept as they are.
enum class StunMethod : uint16_t { binding = 0x001 };

// Attribute types (RFC 8489 section 18.3, RFC 8445 section 16.1; Chromium's
// GOOG-NETWORK-INFO). Values outside this list are valid on the wire.
enum class StunAttributeType : uint16_t {
  mapped_address = 0x0001,
  username = 0x0006,
  message_integrity = 0x0008,
  error_code = 0x0009,
  unknown_attributes = 0x000A,
  realm = 0x0014,
  nonce = 0x0015,
  message_integrity_sha256 = 0x001C,
  password_algorithm = 0x001D,
  userhash = 0x001E,
  xor_mapped_address = 0x0020,
  priority = 0x0024,
  use_candidate = 0x0025,
  password_algorithms = 0x8002,
  alternate_domain = 0x8003,
  software = 0x8022,
  alternate_server = 0x8023,
  fingerprint = 0x8028,
  ice_controlled = 0x8029,
  ice_controlling = 0x802A,
  goog_network_info = 0xC057,
};

// An IP address and UDP port, as carried by (XOR-)MAPPED-ADDRESS.
struct TransportAddress {
  enum class Family : uint8_t { ipv4 = 1, ipv6 = 2 };

  Family family = Family::ipv4;
  std::array<uint8_t, 16> ip{};  // IPv4 uses the first 4 bytes; the rest stay 0
  uint16_t port = 0;

  static TransportAddress ipv4(std::array<uint8_t, 4> ip, uint16_t port);
  static TransportAddress ipv6(std::array<uint8_t, 16> ip, uint16_t port);

  // The 4 or 16 address bytes.
  BytesView ip_bytes() const;
  // "192.0.2.1:32853" or "[2001:db8:...]:32853" (full hex groups, no "::").
  std::string to_string() const;

  friend bool operator==(const TransportAddress&, const TransportAddress&) = default;
};

struct StunAttribute {
  uint16_t type = 0;
  BytesView value;    // without padding; borrows from the message
  BytesView padding;  // the 0-3 pad bytes as received
};

struct StunErrorCode {
  uint16_t code = 0;        // 300..699
  std::string_view reason;  // UTF-8 reason phrase
};

class StunMessage {
 public:
  // Parses one whole datagram (see the file comment for the rules).
  static Result<StunMessage> parse(BytesView datagram);

  StunMethod method() const { return method_; }
  StunClass message_class() const { return class_; }
  const StunTransactionId& transaction_id() const { return transaction_id_; }
  // The datagram as received.
  BytesView bytes() const { return wire_; }

  // Every attribute in wire order; the views live as long as the message.
  std::vector<StunAttribute> attributes() const;
  // The value of the first attribute of that type.
  std::optional<BytesView> find(uint16_t type) const;
  std::optional<BytesView> find(StunAttributeType type) const {
    return find(static_cast<uint16_t>(type));
  }
  bool has(StunAttributeType type) const { return find(type).has_value(); }

  std::optional<std::string_view> username() const;
  std::optional<std::string_view> software() const;
  std::optional<std::string_view> realm() const;
  std::optional<std::string_view> nonce() const;
  std::optional<BytesView> userhash() const;
  std::optional<TransportAddress> mapped_address() const;
  std::optional<TransportAddress> xor_mapped_address() const;
  std::optional<StunErrorCode> error_code() const;
  std::vector<uint16_t> unknown_attributes() const;  // the UNKNOWN-ATTRIBUTES list
  std::optional<uint32_t> priority() const;
  bool use_candidate() const { return has(StunAttributeType::use_candidate); }
  std::optional<uint64_t> ice_controlling() const;
  std::optional<uint64_t> ice_controlled() const;

  // Comprehension-required attribute types (< 0x8000) this codec does not
  // know, each once, in wire order.
  std::vector<uint16_t> unknown_comprehension_required() const;

  // MESSAGE-INTEGRITY (HMAC-SHA1) or MESSAGE-INTEGRITY-SHA256 (HMAC-SHA256,
  // possibly truncated to 16..32 bytes) with `key`; for short-term
  // credentials the key is the password. Errors: missing_attribute,
  // integrity_mismatch. The comparison takes constant time.
  Status verify_integrity(BytesView key) const;
  Status verify_integrity_sha256(BytesView key) const;
  // FINGERPRINT. Errors: missing_attribute, fingerprint_mismatch.
  Status verify_fingerprint() const;

 private:
  struct AttributeRef {
    uint16_t type;
    uint16_t length;  // value bytes, without padding
    size_t offset;    // of the value within wire_
  };

  StunMessage() = default;
  std::optional<std::string_view> find_text(StunAttributeType type) const;
  std::optional<uint64_t> find_uint(StunAttributeType type) const;
  std::optional<TransportAddress> find_address(StunAttributeType type, bool xored) const;
  std::optional<AttributeRef> find_ref(StunAttributeType type) const;
  Status verify_hmac(StunAttributeType type, BytesView key) const;

  Bytes wire_;
  StunMethod method_ = StunMethod::binding;
  StunClass class_ = StunClass::request;
  StunTransactionId transaction_id_{};
  std::vector<AttributeRef> attributes_;
};

// Writes a message attribute by attribute, keeping the Length field current
// so that MESSAGE-INTEGRITY and FINGERPRINT are computed over the right
// bytes. Misuse (an attribute after FINGERPRINT, a message over 64 KiB, a
// value too long for its attribute) is a bug in our code and aborts through
// CV_CHECK; values never come from the peer unchecked.
class StunMessageBuilder {
 public:
  StunMessageBuilder(StunMethod method, StunClass message_class,
                     const StunTransactionId& transaction_id);

  // Any attribute, value as given, then the padding to a multiple of 4:
  // zeros (as RFC 8489 asks of senders) unless `padding` gives the pad
  // bytes, which must then be exactly as many as needed. RFC 5769's samples
  // pad with spaces; a parsed message is rebuilt byte for byte this way.
  StunMessageBuilder& add(uint16_t type, BytesView value, BytesView padding = {});
  StunMessageBuilder& add(StunAttributeType type, BytesView value, BytesView padding = {}) {
    return add(static_cast<uint16_t>(type), value, padding);
  }
  StunMessageBuilder& add_username(std::string_view username);
  StunMessageBuilder& add_software(std::string_view software);
  StunMessageBuilder& add_mapped_address(const TransportAddress& address);
  StunMessageBuilder& add_xor_mapped_address(const TransportAddress& address);
  // code 300..699; the reason phrase at most 763 bytes.
  StunMessageBuilder& add_error_code(uint16_t code, std::string_view reason);
  StunMessageBuilder& add_unknown_attributes(const std::vector<uint16_t>& types);
  StunMessageBuilder& add_priority(uint32_t priority);
  StunMessageBuilder& add_use_candidate();
  StunMessageBuilder& add_ice_controlling(uint64_t tie_breaker);
  StunMessageBuilder& add_ice_controlled(uint64_t tie_breaker);

  // HMAC-SHA1 over the message so far, with the Length counting this
  // attribute (RFC 8489 section 14.5).
  StunMessageBuilder& add_message_integrity(BytesView key);
  // HMAC-SHA256 (full 32 bytes), RFC 8489 section 14.6.
  StunMessageBuilder& add_message_integrity_sha256(BytesView key);
  // CRC-32 XOR 0x5354554E over the message so far (section 14.7); last.
  StunMessageBuilder& add_fingerprint();

  const Bytes& bytes() const& { return out_; }
  Bytes bytes() && { return std::move(out_); }

 private:
  MutableBytesView append_attribute(uint16_t type, size_t length);

  Bytes out_;
  bool finished_ = false;
};

}  // namespace conclave::net
