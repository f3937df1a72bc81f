// libFuzzer target: RTCP compound parsing (RFC 3550, 4585, 5104, REMB,
// transport-cc).
//
// Oracle: parse_rtcp_compound() fails cleanly or gives typed packets;
// every parsed packet must serialize again, and the rebuilt compound must
// parse to an equal list of packets.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "conclave/rtp/rtcp_compound.h"

using conclave::BytesView;
using conclave::rtp::build_rtcp_compound;
using conclave::rtp::parse_rtcp_compound;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parsed = parse_rtcp_compound(BytesView(data, size));
  if (!parsed.ok()) return 0;
  auto rebuilt = build_rtcp_compound(*parsed);
  if (!rebuilt.ok()) std::abort();
  auto again = parse_rtcp_compound(*rebuilt);
  if (!again.ok() || *again != *parsed) std::abort();
  return 0;
}
