// The structured lines of a description other than m= and a= (RFC 8866
// section 5): o= (Origin), c= (Connection), b= (Bandwidth), t= (Timing).
// Each parses the text after "x=" and serializes it back.
//   o=- 4611731400430051336 2 IN IP4 127.0.0.1
//   c=IN IP4 0.0.0.0        b=AS:2000        t=0 0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>
struct Origin {
  std::string username = "-";  // a non-ws-string
  uint64_t session_id = 0;
  uint64_t session_version = 0;
  std::string net_type = "IN";        // a token
  std::string addr_type = "IP4";      // a token
  std::string address = "127.0.0.1";  // a non-ws-string

  // Errors: invalid_origin (including an id or version above 2^64-1).
  static Result<Origin> parse(std::string_view value);
  std::string serialize() const;

  bool operator==(const Origin&) const = default;
};

// c=<nettype> <addrtype> <connection-address>
struct Connection {
  std::string net_type = "IN";
  std::string addr_type = "IP4";
  std::string address = "0.0.0.0";  // may carry "/ttl" or "/count"

  // Errors: invalid_connection.
  static Result<Connection> parse(std::string_view value);
  std::string serialize() const;
  // "IN IP4 <address>" or "IN IP6 <address>", chosen by a ':' in it.
  static Connection for_address(std::string address);

  bool operator==(const Connection&) const = default;
};

// b=<bwtype>:<bandwidth>
struct Bandwidth {
  std::string type;  // a token: "AS", "TIAS", "CT", ...
  uint64_t value = 0;

  // Errors: invalid_bandwidth.
  static Result<Bandwidth> parse(std::string_view value);
  std::string serialize() const;

  bool operator==(const Bandwidth&) const = default;
};

// t=<start-time> <stop-time>; WebRTC always writes "t=0 0".
struct Timing {
  uint64_t start = 0;
  uint64_t stop = 0;

  // Errors: invalid_timing.
  static Result<Timing> parse(std::string_view value);
  std::string serialize() const;

  bool operator==(const Timing&) const = default;
};

}  // namespace conclave::sdp
