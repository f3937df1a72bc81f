#include "conclave/sfu/extension_remap.h"

#include <algorithm>


namespace conclave::sfu {

Status ExtensionRemap::apply(MutableBytesView packet) const {
  CV_TRY(auto parsed, rtp::RtpPacket::parse(packet));
  apply(packet, parsed);
  return {};
}

void ExtensionRemap::apply(MutableBytesView packet, const rtp::RtpPacket& parsed) const {
  rtp::ExtensionForm form = parsed.extension_form();
  if (form != rtp::ExtensionForm::one_byte && form != rtp::ExtensionForm::two_byte) {
    return;
  }
  BytesView block = parsed.extension_block();
  size_t begin = static_cast<size_t>(block.data() - packet.data());
  size_t end = begin + block.size();
  // parse() validated the layout, so this walk stays inside the block.
  size_t i = begin;
  while (i < end) {
    uint8_t first = packet[i];
    if (first == 0) {  // padding
      ++i;
      continue;
    }
    uint8_t id;
    size_t header;
    size_t length;
    if (form == rtp::ExtensionForm::one_byte) {
      id = static_cast<uint8_t>(first >> 4);
      if (id == 15) break;  // RFC 8285 section 4.2: stop processing
      header = 1;
      length = static_cast<size_t>(first & 0x0f) + 1;
    } else {
      if (i + 1 >= end) break;
      id = first;
      header = 2;
      length = packet[i + 1];
    }
    size_t element_end = std::min(end, i + header + length);
    uint8_t to = table_[id];
    bool fits = form == rtp::ExtensionForm::two_byte || (to >= 1 && to <= 14);
    if (to == 0 || !fits) {
      std::fill(packet.begin() + static_cast<std::ptrdiff_t>(i),
                packet.begin() + static_cast<std::ptrdiff_t>(element_end), uint8_t{0});
    } else if (form == rtp::ExtensionForm::one_byte) {
      packet[i] = static_cast<uint8_t>((to << 4) | (first & 0x0f));
    } else {
      packet[i] = to;
    }
    i = element_end;
  }
}

}  // namespace conclave::sfu
