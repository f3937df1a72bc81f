#include "conclave/rtp/rtp_packet.h"

#include <algorithm>

#include "wire.h"

namespace conclave::rtp {
namespace {

ExtensionForm form_of(uint16_t profile) {
  if (profile == RtpPacket::kOneByteProfile) return ExtensionForm::one_byte;
  if ((profile & 0xfff0) == RtpPacket::kTwoByteProfile) return ExtensionForm::two_byte;
  return ExtensionForm::other;
}

// Walks the elements of an extension block (RFC 8285 sections 4.2, 4.3),
// calling visit(id, offset, size) for each until it returns false.
// Fails on an element that runs past the block.
template <class Visit>
Status scan(BytesView block, ExtensionForm form, Visit&& visit) {
  if (form != ExtensionForm::one_byte && form != ExtensionForm::two_byte) return {};
  size_t i = 0;
  while (i < block.size()) {
    const uint8_t b = block[i];
    // Padding is a zero byte. ID 0 is reserved for padding in both forms,
    // so in the one-byte form a byte with ID 0 is skipped whatever its
    // length nibble says (as libwebrtc does).
    if (b == 0 || (form == ExtensionForm::one_byte && (b >> 4) == 0)) {
      ++i;
      continue;
    }
    uint8_t id = 0;
    size_t len = 0;
    size_t data = 0;
    if (form == ExtensionForm::one_byte) {
      id = static_cast<uint8_t>(b >> 4);
      if (id == 15) return {};  // reserved: stop processing the block here
      len = size_t{b & 0x0fu} + 1;
      data = i + 1;
    } else {
      if (i + 2 > block.size()) return Error(Errc::invalid_extension, "two-byte element header");
      id = b;
      len = block[i + 1];
      data = i + 2;
    }
    if (len > block.size() - data) return Error(Errc::invalid_extension, "element length");
    if (!visit(id, data, len)) return {};
    i = data + len;
  }
  return {};
}

Status check_header(BytesView packet) {
  if (packet.size() < RtpPacket::kFixedHeaderSize) return Error(Errc::truncated, "fixed header");
  if ((packet[0] >> 6) != 2) return Errc::invalid_version;
  return {};
}

}  // namespace

Result<RtpPacket> RtpPacket::parse(BytesView packet) {
  CV_TRY_STATUS(check_header(packet));
  RtpPacket p;
  p.data_ = packet;
  size_t off = kFixedHeaderSize + 4 * p.csrc_count();
  if (off > packet.size()) return Error(Errc::truncated, "CSRC list");
  if (p.has_extension()) {
    if (off + 4 > packet.size()) return Error(Errc::truncated, "extension header");
    p.profile_ = wire::u16(packet, off);
    const size_t words = wire::u16(packet, off + 2);
    off += 4;
    if (4 * words > packet.size() - off) return Error(Errc::truncated, "extension block");
    p.form_ = form_of(p.profile_);
    p.ext_offset_ = off;
    p.ext_size_ = 4 * words;
    off += p.ext_size_;
    CV_TRY_STATUS(scan(p.extension_block(), p.form_, [](uint8_t, size_t, size_t) { return true; }));
  } else {
    p.ext_offset_ = off;
  }
  p.header_size_ = off;
  size_t rest = packet.size() - off;
  if (p.has_padding()) {
    if (rest == 0) return Error(Errc::invalid_padding, "no padding count");
    const size_t pad = packet.back();
    if (pad == 0 || pad > rest) return Error(Errc::invalid_padding, "padding count");
    rest -= pad;
  }
  p.payload_size_ = rest;
  return p;
}

uint16_t RtpPacket::sequence_number() const { return wire::u16(data_, 2); }
uint32_t RtpPacket::timestamp() const { return wire::u32(data_, 4); }
uint32_t RtpPacket::ssrc() const { return wire::u32(data_, 8); }

uint32_t RtpPacket::csrc(size_t i) const {
  CV_CHECK(i < csrc_count());
  return wire::u32(data_, kFixedHeaderSize + 4 * i);
}

std::vector<uint32_t> RtpPacket::csrcs() const {
  std::vector<uint32_t> out;
  out.reserve(csrc_count());
  for (size_t i = 0; i < csrc_count(); ++i) out.push_back(csrc(i));
  return out;
}

std::optional<std::pair<size_t, size_t>> RtpPacket::find_extension(uint8_t id) const {
  std::optional<std::pair<size_t, size_t>> found;
  if (id == 0) return found;
  // parse() already validated the block, so the scan cannot fail here.
  (void)scan(extension_block(), form_, [&](uint8_t eid, size_t off, size_t len) {
    if (eid != id) return true;
    found = std::make_pair(off, len);
    return false;
  });
  return found;
}

std::optional<BytesView> RtpPacket::extension(uint8_t id) const {
  auto f = find_extension(id);
  if (!f) return std::nullopt;
  return extension_block().subspan(f->first, f->second);
}

std::vector<HeaderExtension> RtpPacket::extensions() const {
  std::vector<HeaderExtension> out;
  const BytesView block = extension_block();
  (void)scan(block, form_, [&](uint8_t id, size_t off, size_t len) {
    out.push_back({id, block.subspan(off, len)});
    return true;
  });
  return out;
}

Status RtpPacket::set_sequence_number(MutableBytesView packet, uint16_t seq) {
  CV_TRY_STATUS(check_header(packet));
  wire::write16(packet, 2, seq);
  return {};
}

Status RtpPacket::set_timestamp(MutableBytesView packet, uint32_t timestamp) {
  CV_TRY_STATUS(check_header(packet));
  wire::write32(packet, 4, timestamp);
  return {};
}

Status RtpPacket::set_ssrc(MutableBytesView packet, uint32_t ssrc) {
  CV_TRY_STATUS(check_header(packet));
  wire::write32(packet, 8, ssrc);
  return {};
}

Status RtpPacket::set_payload_type(MutableBytesView packet, uint8_t pt) {
  if (pt > 127) return Error(Errc::invalid_argument, "payload type");
  CV_TRY_STATUS(check_header(packet));
  packet[1] = static_cast<uint8_t>((packet[1] & 0x80) | pt);
  return {};
}

Status RtpPacket::set_marker(MutableBytesView packet, bool marker) {
  CV_TRY_STATUS(check_header(packet));
  packet[1] = static_cast<uint8_t>((packet[1] & 0x7f) | (marker ? 0x80 : 0));
  return {};
}

Status RtpPacket::rewrite_extension(MutableBytesView packet, uint8_t id, BytesView value) {
  CV_TRY(const RtpPacket p, parse(packet));
  auto f = p.find_extension(id);
  if (!f) return Error(Errc::invalid_argument, "no such extension");
  if (f->second != value.size()) return Error(Errc::invalid_argument, "extension size");
  std::copy(value.begin(), value.end(), packet.begin() + static_cast<std::ptrdiff_t>(p.ext_offset_ + f->first));
  return {};
}

}  // namespace conclave::rtp
