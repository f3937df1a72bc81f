// libFuzzer target for the lines the test-only external subscriber
// (ExternalSubscriber, a child process such as werift) writes to the
// client: each input is split at newlines and every line goes through
// ExternalSubscriber::parse_line, which must never crash or throw.
//
// Oracles beyond the sanitizers: an accepted rtp line holds a packet of
// 1..kMaxPacket bytes; an accepted answer comes from a line no longer than
// kMaxLine.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "conclave/client/external_subscriber.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using conclave::client::ExternalSubscriber;
  std::string_view input(reinterpret_cast<const char*>(data), size);  // NOLINT
  while (true) {
    size_t newline = input.find('\n');
    std::string_view line = input.substr(0, newline);
    auto m = ExternalSubscriber::parse_line(line);
    if (m) {
      if (line.size() > ExternalSubscriber::kMaxLine) std::abort();
      if (m->type == ExternalSubscriber::Message::Type::rtp &&
          (m->packet.empty() || m->packet.size() > ExternalSubscriber::kMaxPacket)) {
        std::abort();
      }
    }
    if (newline == std::string_view::npos) break;
    input.remove_prefix(newline + 1);
  }
  return 0;
}
