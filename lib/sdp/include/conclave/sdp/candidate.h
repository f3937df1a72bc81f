// a=candidate (RFC 8839 section 5.1): one ICE candidate.
//   candidate-attribute = "candidate" ":" foundation SP component-id SP
//                         transport SP priority SP connection-address SP
//                         port SP cand-type [SP rel-addr] [SP rel-port]
//                         *(SP cand-extension)
//   a=candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host
//   a=candidate:842163049 1 udp 1677729535 203.0.113.7 50000 typ srflx
//       raddr 192.168.1.2 rport 50000 generation 0 network-cost 999
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

struct Candidate {
  static constexpr std::string_view kName = "candidate";
  static constexpr uint32_t kHostPriority =
      2130706431;  // type pref 126, local pref 65535, component 1
  static constexpr size_t kMaxExtensions = 16;

  std::string foundation;  // 1..32 ice-chars
  uint16_t component = 1;  // 1..256
  std::string transport;   // "udp" / "UDP" / "tcp" / another token
  uint32_t priority = 0;
  std::string address;  // IPv4, IPv6 or an FQDN (mDNS), a non-ws-string
  uint16_t port = 0;
  std::string type;  // "host", "srflx", "prflx", "relay" or another token
  std::optional<std::string> related_address;
  std::optional<uint16_t> related_port;
  std::vector<std::pair<std::string, std::string>> extensions;  // "generation 0", ...

  // Errors: invalid_candidate.
  static Result<Candidate> parse(std::string_view value);
  std::string serialize() const;

  // A host UDP candidate for component 1, as the SFU announces its port:
  // "1 1 udp 2130706431 <address> <port> typ host".
  static Candidate host_udp(std::string address, uint16_t port);
  bool is_udp() const;

  bool operator==(const Candidate&) const = default;
};

}  // namespace conclave::sdp
