// RTCP source description, SDES (RFC 3550 section 6.5):
//
//   |V=2|P|    SC   |  PT=SDES=202  |             length            |
//   |                          SSRC/CSRC_1                          |
//   |  type (1=CNAME)|    length    |  text ...                     |
//   |  ... more items ...           | 0 (end) | pad to 32 bits      |
//   |                          SSRC/CSRC_2  ...                     |
//
// Each chunk's item list ends with a null octet and is padded to the next
// 32-bit boundary. Items are kept with their raw type so that PRIV and
// future types survive a round trip.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"
#include "conclave/rtp/rtcp_header.h"

namespace conclave::rtp {

enum class SdesItemType : uint8_t {
  cname = 1,
  name = 2,
  email = 3,
  phone = 4,
  loc = 5,
  tool = 6,
  note = 7,
  priv = 8,
};

struct SdesItem {
  uint8_t type = 0;  // 1-255
  std::string value;  // 0-255 octets
  friend bool operator==(const SdesItem&, const SdesItem&) = default;
};

struct SdesChunk {
  uint32_t ssrc = 0;
  std::vector<SdesItem> items;
  // The first CNAME item, if any.
  std::optional<std::string_view> cname() const;
  friend bool operator==(const SdesChunk&, const SdesChunk&) = default;
};

struct Sdes {
  static constexpr size_t kMaxChunks = 31;

  std::vector<SdesChunk> chunks;

  // Errors: truncated.
  static Result<Sdes> parse(const RtcpHeader& header, BytesView body);
  // invalid_argument: more than 31 chunks, an item of type 0 or a value
  // longer than 255 octets.
  Status serialize(Bytes& out) const;

  friend bool operator==(const Sdes&, const Sdes&) = default;
};

}  // namespace conclave::rtp
