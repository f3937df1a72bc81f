// An RTP packet (RFC 3550 section 5.1) parsed as a view over its bytes,
// with RFC 8285 header extensions in the one-byte (0xBEDE) and two-byte
// (0x100X) forms, and in-place rewriting of the fields an SFU changes.
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                           timestamp                           |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |           synchronization source (SSRC) identifier            |
//   +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
//   |       contributing source (CSRC) identifiers (CC of them)     |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |  profile (0xBEDE or 0x100X)   |  length in 32-bit words       |  if X
//   |                  header extension elements                    |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |              payload ...              | padding | pad count   |  if P
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Written from RFC 3550 and RFC 8285 (neither is in specs/). Elements of
// the one-byte form are |ID(4)|L(4)| followed by L+1 bytes, ID 1-14; a zero
// byte is padding, and ID 15 ends processing of the block (RFC 8285 section
// 4.2). Elements of the two-byte form are |ID(8)|L(8)| followed by L bytes
// (L may be 0), ID 1-255, zero bytes again padding. A block with any other
// profile is kept as raw bytes and has no elements.
//
// parse() validates everything up front, so the accessors cannot fail and
// never read outside the buffer. The view borrows the buffer: keep the
// bytes alive while the RtpPacket is used. Build packets with
// RtpPacketBuilder (rtp_packet_builder.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"

namespace conclave::rtp {

enum class ExtensionForm : uint8_t {
  none,      // X = 0
  one_byte,  // profile 0xBEDE
  two_byte,  // profile 0x100X (X = 4 application bits)
  other,     // any other profile: raw bytes only
};

struct HeaderExtension {
  uint8_t id = 0;
  BytesView data;
};

class RtpPacket {
 public:
  static constexpr size_t kFixedHeaderSize = 12;
  static constexpr size_t kMaxCsrcs = 15;
  static constexpr uint16_t kOneByteProfile = 0xBEDE;
  static constexpr uint16_t kTwoByteProfile = 0x1000;  // the low 4 bits are app bits

  // Errors: truncated, invalid_version, invalid_padding, invalid_extension.
  static Result<RtpPacket> parse(BytesView packet);

  BytesView bytes() const { return data_; }
  bool has_padding() const { return (data_[0] & 0x20) != 0; }
  bool has_extension() const { return (data_[0] & 0x10) != 0; }
  bool marker() const { return (data_[1] & 0x80) != 0; }
  uint8_t payload_type() const { return data_[1] & 0x7f; }
  uint16_t sequence_number() const;
  uint32_t timestamp() const;
  uint32_t ssrc() const;
  size_t csrc_count() const { return data_[0] & 0x0fu; }
  uint32_t csrc(size_t i) const;  // i < csrc_count()
  std::vector<uint32_t> csrcs() const;

  // Header extensions. extension_profile() is 0 when X = 0.
  ExtensionForm extension_form() const { return form_; }
  uint16_t extension_profile() const { return profile_; }
  BytesView extension_block() const { return data_.subspan(ext_offset_, ext_size_); }
  // The first element with this ID, if any (one- or two-byte form only).
  std::optional<BytesView> extension(uint8_t id) const;
  std::vector<HeaderExtension> extensions() const;

  size_t header_size() const { return header_size_; }
  BytesView payload() const { return data_.subspan(header_size_, payload_size_); }
  size_t padding_size() const { return data_.size() - header_size_ - payload_size_; }

  // In-place rewriting of a packet buffer, for the SFU. Each checks that
  // the buffer holds an RTP header (truncated / invalid_version otherwise).
  static Status set_sequence_number(MutableBytesView packet, uint16_t seq);
  static Status set_timestamp(MutableBytesView packet, uint32_t timestamp);
  static Status set_ssrc(MutableBytesView packet, uint32_t ssrc);
  static Status set_payload_type(MutableBytesView packet, uint8_t pt);  // pt < 128
  static Status set_marker(MutableBytesView packet, bool marker);
  // Overwrites the value of the first extension element with this ID; the
  // new value must have the same size as the old one. Errors: those of
  // parse(), invalid_argument when the element is missing or sizes differ.
  static Status rewrite_extension(MutableBytesView packet, uint8_t id, BytesView value);

 private:
  RtpPacket() = default;
  // Offset of the first element with this ID inside the block, and its size.
  std::optional<std::pair<size_t, size_t>> find_extension(uint8_t id) const;

  BytesView data_;
  size_t header_size_ = 0;
  size_t payload_size_ = 0;
  size_t ext_offset_ = 0;  // of the elements, after the 4-byte extension header
  size_t ext_size_ = 0;
  uint16_t profile_ = 0;
  ExtensionForm form_ = ExtensionForm::none;
};

}  // namespace conclave::rtp
