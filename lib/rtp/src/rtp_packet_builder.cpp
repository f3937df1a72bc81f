#include "conclave/rtp/rtp_packet_builder.h"

#include <algorithm>

#include "wire.h"

namespace conclave::rtp {

RtpPacketBuilder RtpPacketBuilder::from(const RtpPacket& packet) {
  RtpPacketBuilder b;
  b.set_marker(packet.marker())
      .set_payload_type(packet.payload_type())
      .set_sequence_number(packet.sequence_number())
      .set_timestamp(packet.timestamp())
      .set_ssrc(packet.ssrc())
      .set_csrcs(packet.csrcs())
      .set_payload(packet.payload())
      .set_padding(static_cast<uint8_t>(packet.padding_size()));
  if (packet.extension_form() == ExtensionForm::other) {
    b.set_raw_extension(packet.extension_profile(), packet.extension_block());
  } else {
    // Only the first element of each ID is visible through lookups; keep that one.
    for (const auto& e : packet.extensions()) {
      const bool seen = std::any_of(b.extensions_.begin(), b.extensions_.end(),
                                    [&](const auto& x) { return x.first == e.id; });
      if (!seen) b.extensions_.emplace_back(e.id, Bytes(e.data.begin(), e.data.end()));
    }
    b.force_two_byte_ = packet.extension_form() == ExtensionForm::two_byte;
  }
  return b;
}

RtpPacketBuilder& RtpPacketBuilder::add_extension(uint8_t id, BytesView value) {
  raw_extension_.reset();
  for (auto& e : extensions_) {
    if (e.first == id) {
      e.second.assign(value.begin(), value.end());
      return *this;
    }
  }
  extensions_.emplace_back(id, Bytes(value.begin(), value.end()));
  return *this;
}

RtpPacketBuilder& RtpPacketBuilder::remove_extension(uint8_t id) {
  std::erase_if(extensions_, [&](const auto& e) { return e.first == id; });
  return *this;
}

RtpPacketBuilder& RtpPacketBuilder::clear_extensions() {
  extensions_.clear();
  raw_extension_.reset();
  return *this;
}

RtpPacketBuilder& RtpPacketBuilder::set_raw_extension(uint16_t profile, BytesView block) {
  extensions_.clear();
  raw_extension_.emplace(profile, Bytes(block.begin(), block.end()));
  return *this;
}

Result<Bytes> RtpPacketBuilder::build() const {
  if (payload_type_ > 127) return Error(Errc::invalid_argument, "payload type");
  if (csrcs_.size() > RtpPacket::kMaxCsrcs) return Error(Errc::invalid_argument, "CSRC count");
  bool one_byte = !force_two_byte_;
  for (const auto& [id, value] : extensions_) {
    if (id == 0) return Error(Errc::invalid_argument, "extension id 0");
    if (value.size() > 255) return Error(Errc::invalid_argument, "extension size");
    if (id > 14 || value.empty() || value.size() > 16) one_byte = false;
  }
  Bytes block;
  uint16_t profile = 0;
  const bool has_extension = raw_extension_.has_value() || !extensions_.empty();
  if (raw_extension_) {
    profile = raw_extension_->first;
    block = raw_extension_->second;
    if (block.size() % 4 != 0) return Error(Errc::invalid_argument, "raw extension size");
  } else if (!extensions_.empty()) {
    profile = one_byte ? RtpPacket::kOneByteProfile : RtpPacket::kTwoByteProfile;
    for (const auto& [id, value] : extensions_) {
      if (one_byte) {
        wire::put8(block, (uint32_t{id} << 4) | static_cast<uint32_t>(value.size() - 1));
      } else {
        wire::put8(block, id);
        wire::put8(block, static_cast<uint32_t>(value.size()));
      }
      wire::put_bytes(block, value);
    }
    while (block.size() % 4 != 0) block.push_back(0);
  }
  if (block.size() / 4 > 0xffff) return Error(Errc::invalid_argument, "extension block size");

  Bytes out;
  out.reserve(RtpPacket::kFixedHeaderSize + 4 * csrcs_.size() + 4 + block.size() +
              payload_.size() + padding_);
  wire::put8(out, (2u << 6) | (padding_ != 0 ? 0x20u : 0u) | (has_extension ? 0x10u : 0u) |
                      static_cast<uint32_t>(csrcs_.size()));
  wire::put8(out, (marker_ ? 0x80u : 0u) | payload_type_);
  wire::put16(out, sequence_number_);
  wire::put32(out, timestamp_);
  wire::put32(out, ssrc_);
  for (uint32_t c : csrcs_) wire::put32(out, c);
  if (has_extension) {
    wire::put16(out, profile);
    wire::put16(out, static_cast<uint32_t>(block.size() / 4));
    wire::put_bytes(out, block);
  }
  wire::put_bytes(out, payload_);
  if (padding_ != 0) {
    out.insert(out.end(), padding_ - 1u, uint8_t{0});
    out.push_back(padding_);
  }
  return out;
}

}  // namespace conclave::rtp
