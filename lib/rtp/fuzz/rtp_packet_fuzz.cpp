// libFuzzer target: RTP packet parsing (RFC 3550, RFC 8285).
//
// Oracle: parse() either fails with one of its documented errors or gives
// a packet whose accessors stay inside the input; rebuilding it with
// RtpPacketBuilder::from() must succeed and parse back to the same fields
// (header, CSRCs, the value of every extension ID, payload, padding size).
// The in-place rewrites must change only their field.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "conclave/rtp/rtp_packet.h"
#include "conclave/rtp/rtp_packet_builder.h"

using conclave::Bytes;
using conclave::BytesView;
using conclave::rtp::Errc;
using conclave::rtp::ExtensionForm;
using conclave::rtp::RtpPacket;
using conclave::rtp::RtpPacketBuilder;

namespace {

bool same_view(std::optional<BytesView> a, std::optional<BytesView> b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || conclave::equal(*a, *b);
}

void check_same(const RtpPacket& a, const RtpPacket& b) {
  if (a.marker() != b.marker() || a.payload_type() != b.payload_type() ||
      a.sequence_number() != b.sequence_number() || a.timestamp() != b.timestamp() ||
      a.ssrc() != b.ssrc() || a.csrcs() != b.csrcs() || a.padding_size() != b.padding_size() ||
      !conclave::equal(a.payload(), b.payload())) {
    std::abort();
  }
  if ((a.extension_form() == ExtensionForm::other) !=
      (b.extension_form() == ExtensionForm::other)) {
    std::abort();
  }
  if (a.extension_form() == ExtensionForm::other &&
      (a.extension_profile() != b.extension_profile() ||
       !conclave::equal(a.extension_block(), b.extension_block()))) {
    std::abort();
  }
  for (unsigned id = 1; id < 256; ++id) {
    if (!same_view(a.extension(static_cast<uint8_t>(id)), b.extension(static_cast<uint8_t>(id)))) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const BytesView input(data, size);
  auto parsed = RtpPacket::parse(input);
  if (!parsed.ok()) {
    const auto& e = parsed.error();
    if (!e.is(Errc::truncated) && !e.is(Errc::invalid_version) && !e.is(Errc::invalid_padding) &&
        !e.is(Errc::invalid_extension)) {
      std::abort();
    }
    return 0;
  }
  const RtpPacket& p = *parsed;
  if (p.header_size() + p.payload().size() + p.padding_size() != size) std::abort();
  for (const auto& e : p.extensions()) {
    if (e.data.data() < data || e.data.data() + e.data.size() > data + size) std::abort();
  }
  auto rebuilt = RtpPacketBuilder::from(p).build();
  if (!rebuilt.ok()) std::abort();
  auto again = RtpPacket::parse(*rebuilt);
  if (!again.ok()) std::abort();
  check_same(p, *again);

  // In-place rewrites touch only their field.
  Bytes copy(input.begin(), input.end());
  if (!RtpPacket::set_ssrc(copy, ~p.ssrc()).ok()) std::abort();
  if (!RtpPacket::set_sequence_number(copy, static_cast<uint16_t>(p.sequence_number() + 1)).ok()) {
    std::abort();
  }
  auto rewritten = RtpPacket::parse(copy);
  if (!rewritten.ok() || rewritten->ssrc() != ~p.ssrc() ||
      rewritten->sequence_number() != static_cast<uint16_t>(p.sequence_number() + 1) ||
      rewritten->timestamp() != p.timestamp() || !conclave::equal(rewritten->payload(), p.payload())) {
    std::abort();
  }
  return 0;
}
