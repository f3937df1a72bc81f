#include "conclave/net/stun_message.h"

#include <algorithm>
#include <cstdio>

#include "conclave/base/check.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/crypto/hash.h"

namespace conclave::net {
namespace {

using Attr = StunAttributeType;

// RFC 8489 section 14.7.
constexpr uint32_t kFingerprintXor = 0x5354554E;
// Text attributes: RFC 8489 asks receivers to accept up to 763 bytes.
constexpr size_t kMaxTextLength = 763;
constexpr size_t kMessageIntegritySize = 20;
constexpr size_t kMaxMessageLength = 0xFFFF;

uint16_t read_u16(BytesView b, size_t pos) {
  return static_cast<uint16_t>((b[pos] << 8) | b[pos + 1]);
}

uint64_t read_be(BytesView b) {
  uint64_t v = 0;
  for (uint8_t x : b) v = (v << 8) | x;
  return v;
}

size_t padded(size_t length) {
  return (length + 3) & ~size_t{3};
}

// Message type <-> (method, class): RFC 8489 section 5, figure 3. The class
// bits C0 and C1 sit at positions 4 and 8, between the method bits.
uint16_t message_type(StunMethod method, StunClass cls) {
  const auto m = static_cast<unsigned>(method) & 0x0FFFu;
  const auto c = static_cast<unsigned>(cls);
  return static_cast<uint16_t>((m & 0x000Fu) | ((m & 0x0070u) << 1) | ((m & 0x0F80u) << 2) |
                               ((c & 1u) << 4) | ((c & 2u) << 7));
}

StunMethod method_of(uint16_t type) {
  return static_cast<StunMethod>((type & 0x000Fu) | ((type & 0x00E0u) >> 1) |
                                 ((type & 0x3E00u) >> 2));
}

StunClass class_of(uint16_t type) {
  return static_cast<StunClass>(((type >> 4) & 1u) | ((type >> 7) & 2u));
}

constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kCrcTable = make_crc_table();

bool is_known(uint16_t type) {
  switch (static_cast<Attr>(type)) {
    case Attr::mapped_address:
    case Attr::username:
    case Attr::message_integrity:
    case Attr::error_code:
    case Attr::unknown_attributes:
    case Attr::realm:
    case Attr::nonce:
    case Attr::message_integrity_sha256:
    case Attr::password_algorithm:
    case Attr::userhash:
    case Attr::xor_mapped_address:
    case Attr::priority:
    case Attr::use_candidate:
    case Attr::password_algorithms:
    case Attr::alternate_domain:
    case Attr::software:
    case Attr::alternate_server:
    case Attr::fingerprint:
    case Attr::ice_controlled:
    case Attr::ice_controlling:
    case Attr::goog_network_info:
      return true;
  }
  return false;
}

bool valid_address(BytesView v) {
  if (v.size() < 4) return false;
  if (v[1] == static_cast<uint8_t>(TransportAddress::Family::ipv4)) return v.size() == 8;
  if (v[1] == static_cast<uint8_t>(TransportAddress::Family::ipv6)) return v.size() == 20;
  return false;
}

// Checks the value of an attribute this codec reads; others pass as they are.
bool valid_value(uint16_t type, BytesView v) {
  switch (static_cast<Attr>(type)) {
    case Attr::mapped_address:
    case Attr::xor_mapped_address:
    case Attr::alternate_server:
      return valid_address(v);
    case Attr::username:
    case Attr::realm:
    case Attr::nonce:
    case Attr::software:
      return v.size() <= kMaxTextLength;
    case Attr::message_integrity:
      return v.size() == kMessageIntegritySize;
    case Attr::message_integrity_sha256:
      return v.size() >= 16 && v.size() <= 32 && v.size() % 4 == 0;
    case Attr::fingerprint:
    case Attr::priority:
      return v.size() == 4;
    case Attr::error_code: {
      if (v.size() < 4 || v.size() - 4 > kMaxTextLength) return false;
      const unsigned cls = v[2] & 0x07u;
      return cls >= 3 && cls <= 6 && v[3] < 100;
    }
    case Attr::unknown_attributes:
      return v.size() % 2 == 0;
    case Attr::userhash:
      return v.size() == 32;
    case Attr::use_candidate:
      return v.empty();
    case Attr::ice_controlled:
    case Attr::ice_controlling:
      return v.size() == 8;
    case Attr::password_algorithm:
    case Attr::password_algorithms:
    case Attr::alternate_domain:
    case Attr::goog_network_info:
      return true;
  }
  return true;
}

std::string_view as_text(BytesView v) {
  return {reinterpret_cast<const char*>(v.data()), v.size()};  // NOLINT
}

}  // namespace

std::string_view error_domain(StunErrc) {
  return "stun";
}

std::string_view error_message(StunErrc e) {
  switch (e) {
    case StunErrc::truncated:
      return "truncated STUN message";
    case StunErrc::not_stun:
      return "not a STUN message";
    case StunErrc::bad_magic_cookie:
      return "wrong STUN magic cookie";
    case StunErrc::bad_length:
      return "STUN length field does not match the datagram";
    case StunErrc::attribute_overrun:
      return "STUN attribute runs past the message";
    case StunErrc::bad_attribute:
      return "malformed STUN attribute value";
    case StunErrc::attribute_after_integrity:
      return "attribute after MESSAGE-INTEGRITY";
    case StunErrc::attribute_after_fingerprint:
      return "attribute after FINGERPRINT";
    case StunErrc::missing_attribute:
      return "STUN attribute missing";
    case StunErrc::integrity_mismatch:
      return "STUN MESSAGE-INTEGRITY does not match";
    case StunErrc::fingerprint_mismatch:
      return "STUN FINGERPRINT does not match";
  }
  return "unknown stun error";
}

PacketKind classify(uint8_t first_byte) {
  // RFC 7983 section 7.
  if (first_byte <= 3) return PacketKind::stun;
  if (first_byte >= 20 && first_byte <= 63) return PacketKind::dtls;
  if (first_byte >= 128 && first_byte <= 191) return PacketKind::rtp_rtcp;
  return PacketKind::unknown;
}

bool is_stun(BytesView d) {
  if (d.size() < kStunHeaderSize || (d[0] & 0xC0u) != 0) return false;
  if (read_be(d.subspan(4, 4)) != kStunMagicCookie) return false;
  const size_t length = read_u16(d, 2);
  return length % 4 == 0 && kStunHeaderSize + length == d.size();
}

uint32_t crc32(BytesView data) {
  uint32_t c = 0xFFFFFFFFu;
  for (uint8_t b : data) c = kCrcTable[(c ^ b) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

// --- TransportAddress ------------------------------------------------------

TransportAddress TransportAddress::ipv4(std::array<uint8_t, 4> ip, uint16_t port) {
  TransportAddress a;
  a.family = Family::ipv4;
  std::copy(ip.begin(), ip.end(), a.ip.begin());
  a.port = port;
  return a;
}

TransportAddress TransportAddress::ipv6(std::array<uint8_t, 16> ip, uint16_t port) {
  TransportAddress a;
  a.family = Family::ipv6;
  a.ip = ip;
  a.port = port;
  return a;
}

BytesView TransportAddress::ip_bytes() const {
  return BytesView(ip).first(family == Family::ipv4 ? 4 : 16);
}

std::string TransportAddress::to_string() const {
  std::string out;
  char buf[8];
  if (family == Family::ipv4) {
    for (size_t i = 0; i < 4; ++i) {
      std::snprintf(buf, sizeof buf, i == 0 ? "%u" : ".%u", unsigned{ip[i]});
      out += buf;
    }
  } else {
    out = "[";
    for (size_t i = 0; i < 16; i += 2) {
      std::snprintf(buf, sizeof buf, i == 0 ? "%x" : ":%x", unsigned{read_u16(ip, i)});
      out += buf;
    }
    out += "]";
  }
  std::snprintf(buf, sizeof buf, ":%u", unsigned{port});
  return out + buf;
}

// --- StunMessage -----------------------------------------------------------

Result<StunMessage> StunMessage::parse(BytesView d) {
  if (d.size() < kStunHeaderSize) return Error(StunErrc::truncated, "header");
  if ((d[0] & 0xC0u) != 0) return StunErrc::not_stun;
  if (read_be(d.subspan(4, 4)) != kStunMagicCookie) return StunErrc::bad_magic_cookie;
  const size_t length = read_u16(d, 2);
  if (length % 4 != 0) return Error(StunErrc::bad_length, "not a multiple of 4");
  if (kStunHeaderSize + length > d.size()) return Error(StunErrc::truncated, "body");
  if (kStunHeaderSize + length < d.size()) return Error(StunErrc::bad_length, "trailing bytes");

  StunMessage m;
  const uint16_t type = read_u16(d, 0);
  m.method_ = method_of(type);
  m.class_ = class_of(type);
  std::copy_n(d.begin() + 8, m.transaction_id_.size(), m.transaction_id_.begin());

  bool seen_integrity = false;
  bool seen_integrity_sha256 = false;
  bool seen_fingerprint = false;
  size_t pos = kStunHeaderSize;
  while (pos < d.size()) {
    if (d.size() - pos < 4) return Error(StunErrc::attribute_overrun, "attribute header");
    const uint16_t attr_type = read_u16(d, pos);
    const uint16_t attr_length = read_u16(d, pos + 2);
    if (padded(attr_length) > d.size() - pos - 4) {
      return Error(StunErrc::attribute_overrun, "attribute value");
    }
    if (seen_fingerprint) return StunErrc::attribute_after_fingerprint;
    const auto t = static_cast<Attr>(attr_type);
    if (seen_integrity_sha256 && t != Attr::fingerprint) {
      return Error(StunErrc::attribute_after_integrity, "MESSAGE-INTEGRITY-SHA256");
    }
    if (seen_integrity && t != Attr::fingerprint && t != Attr::message_integrity_sha256) {
      return Error(StunErrc::attribute_after_integrity, "MESSAGE-INTEGRITY");
    }
    if (!valid_value(attr_type, d.subspan(pos + 4, attr_length))) {
      return StunErrc::bad_attribute;
    }
    seen_integrity = seen_integrity || t == Attr::message_integrity;
    seen_integrity_sha256 = seen_integrity_sha256 || t == Attr::message_integrity_sha256;
    seen_fingerprint = seen_fingerprint || t == Attr::fingerprint;
    m.attributes_.push_back({attr_type, attr_length, pos + 4});
    pos += 4 + padded(attr_length);
  }
  m.wire_.assign(d.begin(), d.end());
  return m;
}

std::vector<StunAttribute> StunMessage::attributes() const {
  std::vector<StunAttribute> out;
  out.reserve(attributes_.size());
  for (const auto& a : attributes_) {
    out.push_back({a.type, BytesView(wire_).subspan(a.offset, a.length),
                   BytesView(wire_).subspan(a.offset + a.length, padded(a.length) - a.length)});
  }
  return out;
}

std::optional<StunMessage::AttributeRef> StunMessage::find_ref(StunAttributeType type) const {
  for (const auto& a : attributes_) {
    if (a.type == static_cast<uint16_t>(type)) return a;
  }
  return std::nullopt;
}

std::optional<BytesView> StunMessage::find(uint16_t type) const {
  for (const auto& a : attributes_) {
    if (a.type == type) return BytesView(wire_).subspan(a.offset, a.length);
  }
  return std::nullopt;
}

std::optional<std::string_view> StunMessage::find_text(StunAttributeType type) const {
  auto v = find(type);
  if (!v) return std::nullopt;
  return as_text(*v);
}

std::optional<uint64_t> StunMessage::find_uint(StunAttributeType type) const {
  auto v = find(type);
  if (!v) return std::nullopt;
  return read_be(*v);
}

std::optional<TransportAddress> StunMessage::find_address(StunAttributeType type,
                                                          bool xored) const {
  auto found = find(type);
  if (!found) return std::nullopt;
  BytesView v = *found;  // checked by parse(): family 1 with 8 bytes or 2 with 20
  TransportAddress a;
  a.family = static_cast<TransportAddress::Family>(v[1]);
  a.port = read_u16(v, 2);
  const size_t n = a.family == TransportAddress::Family::ipv4 ? 4 : 16;
  std::copy_n(v.begin() + 4, n, a.ip.begin());
  if (xored) {
    // RFC 8489 section 14.2: the port with the cookie's top 16 bits, the
    // address with the cookie followed (for IPv6) by the transaction ID.
    a.port = static_cast<uint16_t>(a.port ^ (kStunMagicCookie >> 16));
    std::array<uint8_t, 16> mask{};
    put_be(MutableBytesView(mask).first(4), kStunMagicCookie);
    std::copy(transaction_id_.begin(), transaction_id_.end(), mask.begin() + 4);
    for (size_t i = 0; i < n; ++i) a.ip[i] = static_cast<uint8_t>(a.ip[i] ^ mask[i]);
  }
  return a;
}

std::optional<std::string_view> StunMessage::username() const {
  return find_text(Attr::username);
}
std::optional<std::string_view> StunMessage::software() const {
  return find_text(Attr::software);
}
std::optional<std::string_view> StunMessage::realm() const {
  return find_text(Attr::realm);
}
std::optional<std::string_view> StunMessage::nonce() const {
  return find_text(Attr::nonce);
}
std::optional<BytesView> StunMessage::userhash() const {
  return find(Attr::userhash);
}

std::optional<TransportAddress> StunMessage::mapped_address() const {
  return find_address(Attr::mapped_address, false);
}
std::optional<TransportAddress> StunMessage::xor_mapped_address() const {
  return find_address(Attr::xor_mapped_address, true);
}

std::optional<StunErrorCode> StunMessage::error_code() const {
  auto v = find(Attr::error_code);
  if (!v) return std::nullopt;
  StunErrorCode e;
  e.code = static_cast<uint16_t>(((*v)[2] & 0x07u) * 100u + (*v)[3]);
  e.reason = as_text(v->subspan(4));
  return e;
}

std::vector<uint16_t> StunMessage::unknown_attributes() const {
  std::vector<uint16_t> out;
  if (auto v = find(Attr::unknown_attributes)) {
    for (size_t i = 0; i + 1 < v->size(); i += 2) out.push_back(read_u16(*v, i));
  }
  return out;
}

std::optional<uint32_t> StunMessage::priority() const {
  auto v = find_uint(Attr::priority);
  if (!v) return std::nullopt;
  return static_cast<uint32_t>(*v);
}
std::optional<uint64_t> StunMessage::ice_controlling() const {
  return find_uint(Attr::ice_controlling);
}
std::optional<uint64_t> StunMessage::ice_controlled() const {
  return find_uint(Attr::ice_controlled);
}

std::vector<uint16_t> StunMessage::unknown_comprehension_required() const {
  std::vector<uint16_t> out;
  for (const auto& a : attributes_) {
    if (a.type < 0x8000 && !is_known(a.type) &&
        std::find(out.begin(), out.end(), a.type) == out.end()) {
      out.push_back(a.type);
    }
  }
  return out;
}

Status StunMessage::verify_hmac(StunAttributeType type, BytesView key) const {
  auto ref = find_ref(type);
  if (!ref) return Error(StunErrc::missing_attribute, "message integrity");
  const auto hash_id =
      type == Attr::message_integrity ? crypto::HashId::sha1 : crypto::HashId::sha256;
  // The header with the Length pointing at the end of this attribute, then
  // everything up to the attribute's own header (RFC 8489 sections
  // 14.5/14.6). parse() guarantees the HMAC attributes come after all
  // others except each other and FINGERPRINT.
  std::array<uint8_t, kStunHeaderSize> header{};
  std::copy_n(wire_.begin(), kStunHeaderSize, header.begin());
  put_be(MutableBytesView(header).subspan(2, 2), ref->offset + ref->length - kStunHeaderSize);
  const BytesView body =
      BytesView(wire_).subspan(kStunHeaderSize, ref->offset - 4 - kStunHeaderSize);
  auto mac = crypto::Hmac::create(hash_id, key);
  if (!mac.ok()) return mac.error();
  std::array<uint8_t, 32> out{};
  CV_TRY_STATUS(mac->compute({header, body}, out));
  const BytesView received = BytesView(wire_).subspan(ref->offset, ref->length);
  if (!constant_time_equal(BytesView(out).first(received.size()), received)) {
    return StunErrc::integrity_mismatch;
  }
  return ok_status();
}

Status StunMessage::verify_integrity(BytesView key) const {
  return verify_hmac(Attr::message_integrity, key);
}

Status StunMessage::verify_integrity_sha256(BytesView key) const {
  return verify_hmac(Attr::message_integrity_sha256, key);
}

Status StunMessage::verify_fingerprint() const {
  auto ref = find_ref(Attr::fingerprint);
  if (!ref) return Error(StunErrc::missing_attribute, "FINGERPRINT");
  // FINGERPRINT is the last attribute, so the Length as received is the
  // one the sender covered.
  const uint32_t expected = crc32(BytesView(wire_).first(ref->offset - 4)) ^ kFingerprintXor;
  if (read_be(BytesView(wire_).subspan(ref->offset, 4)) != expected) {
    return StunErrc::fingerprint_mismatch;
  }
  return ok_status();
}

// --- StunMessageBuilder ----------------------------------------------------

StunMessageBuilder::StunMessageBuilder(StunMethod method, StunClass message_class,
                                       const StunTransactionId& transaction_id)
    : out_(kStunHeaderSize) {
  put_be(MutableBytesView(out_).first(2), message_type(method, message_class));
  put_be(MutableBytesView(out_).subspan(4, 4), kStunMagicCookie);
  std::copy(transaction_id.begin(), transaction_id.end(), out_.begin() + 8);
}

MutableBytesView StunMessageBuilder::append_attribute(uint16_t type, size_t length) {
  CV_CHECK(!finished_);
  CV_CHECK(length <= kMaxMessageLength);
  const size_t start = out_.size();
  const size_t new_length = start + 4 + padded(length) - kStunHeaderSize;
  CV_CHECK(new_length <= kMaxMessageLength);
  out_.resize(start + 4 + padded(length), 0);
  MutableBytesView all(out_);
  put_be(all.subspan(2, 2), new_length);
  put_be(all.subspan(start, 2), type);
  put_be(all.subspan(start + 2, 2), length);
  if (type == static_cast<uint16_t>(Attr::fingerprint)) finished_ = true;
  return all.subspan(start + 4, length);
}

StunMessageBuilder& StunMessageBuilder::add(uint16_t type, BytesView value, BytesView padding) {
  auto dst = append_attribute(type, value.size());
  std::copy(value.begin(), value.end(), dst.begin());
  if (!padding.empty()) {
    CV_CHECK(padding.size() == padded(value.size()) - value.size());
    std::copy(padding.begin(), padding.end(),
              out_.end() - static_cast<std::ptrdiff_t>(padding.size()));
  }
  return *this;
}

StunMessageBuilder& StunMessageBuilder::add_username(std::string_view username) {
  CV_CHECK(username.size() <= kMaxTextLength);
  return add(Attr::username, as_bytes(username));
}

StunMessageBuilder& StunMessageBuilder::add_software(std::string_view software) {
  CV_CHECK(software.size() <= kMaxTextLength);
  return add(Attr::software, as_bytes(software));
}

StunMessageBuilder& StunMessageBuilder::add_mapped_address(const TransportAddress& a) {
  const BytesView ip = a.ip_bytes();
  auto dst = append_attribute(static_cast<uint16_t>(Attr::mapped_address), 4 + ip.size());
  dst[1] = static_cast<uint8_t>(a.family);
  put_be(dst.subspan(2, 2), a.port);
  std::copy(ip.begin(), ip.end(), dst.begin() + 4);
  return *this;
}

StunMessageBuilder& StunMessageBuilder::add_xor_mapped_address(const TransportAddress& a) {
  const BytesView ip = a.ip_bytes();
  auto dst = append_attribute(static_cast<uint16_t>(Attr::xor_mapped_address), 4 + ip.size());
  dst[1] = static_cast<uint8_t>(a.family);
  put_be(dst.subspan(2, 2), a.port ^ (kStunMagicCookie >> 16));
  // The mask is the cookie followed by the transaction ID (bytes 4..19 of
  // the header).
  for (size_t i = 0; i < ip.size(); ++i) {
    dst[4 + i] = static_cast<uint8_t>(ip[i] ^ out_[4 + i]);
  }
  return *this;
}

StunMessageBuilder& StunMessageBuilder::add_error_code(uint16_t code, std::string_view reason) {
  CV_CHECK(code >= 300 && code <= 699);
  CV_CHECK(reason.size() <= kMaxTextLength);
  auto dst = append_attribute(static_cast<uint16_t>(Attr::error_code), 4 + reason.size());
  dst[2] = static_cast<uint8_t>(code / 100);
  dst[3] = static_cast<uint8_t>(code % 100);
  const BytesView r = as_bytes(reason);
  std::copy(r.begin(), r.end(), dst.begin() + 4);
  return *this;
}

StunMessageBuilder& StunMessageBuilder::add_unknown_attributes(const std::vector<uint16_t>& types) {
  auto dst = append_attribute(static_cast<uint16_t>(Attr::unknown_attributes), 2 * types.size());
  for (size_t i = 0; i < types.size(); ++i) put_be(dst.subspan(2 * i, 2), types[i]);
  return *this;
}

StunMessageBuilder& StunMessageBuilder::add_priority(uint32_t priority) {
  return add(Attr::priority, be_bytes(priority, 4));
}

StunMessageBuilder& StunMessageBuilder::add_use_candidate() {
  return add(Attr::use_candidate, {});
}

StunMessageBuilder& StunMessageBuilder::add_ice_controlling(uint64_t tie_breaker) {
  return add(Attr::ice_controlling, be_bytes(tie_breaker, 8));
}

StunMessageBuilder& StunMessageBuilder::add_ice_controlled(uint64_t tie_breaker) {
  return add(Attr::ice_controlled, be_bytes(tie_breaker, 8));
}

StunMessageBuilder& StunMessageBuilder::add_message_integrity(BytesView key) {
  const size_t start = out_.size();
  // The Length already counts the attribute when the HMAC is computed over
  // everything before it.
  append_attribute(static_cast<uint16_t>(Attr::message_integrity), kMessageIntegritySize);
  const Bytes mac = crypto::hmac(crypto::HashId::sha1, key, BytesView(out_).first(start));
  std::copy(mac.begin(), mac.end(), out_.begin() + static_cast<std::ptrdiff_t>(start + 4));
  return *this;
}

StunMessageBuilder& StunMessageBuilder::add_message_integrity_sha256(BytesView key) {
  const size_t start = out_.size();
  append_attribute(static_cast<uint16_t>(Attr::message_integrity_sha256), 32);
  const Bytes mac = crypto::hmac(crypto::HashId::sha256, key, BytesView(out_).first(start));
  std::copy(mac.begin(), mac.end(), out_.begin() + static_cast<std::ptrdiff_t>(start + 4));
  return *this;
}

StunMessageBuilder& StunMessageBuilder::add_fingerprint() {
  const size_t start = out_.size();
  append_attribute(static_cast<uint16_t>(Attr::fingerprint), 4);
  const uint32_t crc = crc32(BytesView(out_).first(start)) ^ kFingerprintXor;
  put_be(MutableBytesView(out_).subspan(start + 4, 4), crc);
  return *this;
}

}  // namespace conclave::net
