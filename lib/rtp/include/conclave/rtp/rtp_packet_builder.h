// Builds RTP packets (RFC 3550) with RFC 8285 header extensions.
//
// The extension form is chosen from the elements: the one-byte form when
// every ID is 1-14 and every value 1-16 bytes long, the two-byte form
// otherwise (IDs 1-255, values 0-255 bytes), unless the two-byte form is
// asked for. Elements are written in the order added and the block is
// zero-padded to a 32-bit boundary. A raw block with another profile can be
// set instead of elements.
//
//   RtpPacketBuilder b;
//   b.set_payload_type(96).set_sequence_number(seq).set_timestamp(ts).set_ssrc(ssrc)
//       .add_extension(kMidId, as_bytes("0")).set_payload(data);
//   CV_TRY(Bytes packet, b.build());
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"
#include "conclave/rtp/rtp_packet.h"

namespace conclave::rtp {

class RtpPacketBuilder {
 public:
  RtpPacketBuilder() = default;
  // A builder holding a copy of every field of a parsed packet; build()
  // gives a packet that parses to the same fields (the extension form may
  // change to the smallest one that fits, and padding bytes become zero).
  static RtpPacketBuilder from(const RtpPacket& packet);

  RtpPacketBuilder& set_marker(bool m) {
    marker_ = m;
    return *this;
  }
  RtpPacketBuilder& set_payload_type(uint8_t pt) {
    payload_type_ = pt;
    return *this;
  }
  RtpPacketBuilder& set_sequence_number(uint16_t seq) {
    sequence_number_ = seq;
    return *this;
  }
  RtpPacketBuilder& set_timestamp(uint32_t ts) {
    timestamp_ = ts;
    return *this;
  }
  RtpPacketBuilder& set_ssrc(uint32_t ssrc) {
    ssrc_ = ssrc;
    return *this;
  }
  RtpPacketBuilder& set_csrcs(std::vector<uint32_t> csrcs) {
    csrcs_ = std::move(csrcs);
    return *this;
  }
  // Adds an element; a second element with the same ID replaces the first.
  RtpPacketBuilder& add_extension(uint8_t id, BytesView value);
  RtpPacketBuilder& remove_extension(uint8_t id);
  RtpPacketBuilder& clear_extensions();
  RtpPacketBuilder& set_two_byte_extensions(bool force) {
    force_two_byte_ = force;
    return *this;
  }
  // A block of another profile, written as is (its size must be a multiple
  // of 4); replaces the elements.
  RtpPacketBuilder& set_raw_extension(uint16_t profile, BytesView block);
  RtpPacketBuilder& set_payload(BytesView payload) {
    payload_.assign(payload.begin(), payload.end());
    return *this;
  }
  // Padding bytes after the payload, counting the final count byte (0-255).
  RtpPacketBuilder& set_padding(uint8_t size) {
    padding_ = size;
    return *this;
  }

  bool marker() const { return marker_; }
  uint8_t payload_type() const { return payload_type_; }
  uint16_t sequence_number() const { return sequence_number_; }
  uint32_t timestamp() const { return timestamp_; }
  uint32_t ssrc() const { return ssrc_; }
  const Bytes& payload() const { return payload_; }

  // Errors (invalid_argument): payload type > 127, more than 15 CSRCs, an
  // extension ID of 0, a value longer than 255 bytes, a raw block not a
  // multiple of 4 bytes or longer than 65535 words.
  Result<Bytes> build() const;

 private:
  bool marker_ = false;
  uint8_t payload_type_ = 0;
  uint16_t sequence_number_ = 0;
  uint32_t timestamp_ = 0;
  uint32_t ssrc_ = 0;
  std::vector<uint32_t> csrcs_;
  std::vector<std::pair<uint8_t, Bytes>> extensions_;
  bool force_two_byte_ = false;
  std::optional<std::pair<uint16_t, Bytes>> raw_extension_;
  Bytes payload_;
  uint8_t padding_ = 0;
};

}  // namespace conclave::rtp
