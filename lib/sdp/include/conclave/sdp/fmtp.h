// a=fmtp (RFC 8866 section 6.15): format-specific parameters.
//   a=fmtp:<format> <format specific parameters>
//   a=fmtp:111 minptime=10;useinbandfec=1
//   a=fmtp:97 apt=96
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/sdp/errc.h"

namespace conclave::sdp {

struct Fmtp {
  static constexpr std::string_view kName = "fmtp";

  std::string format;      // a token; for RTP a payload type
  std::string parameters;  // the rest of the line, not empty

  // Errors: invalid_fmtp.
  static Result<Fmtp> parse(std::string_view value);
  std::string serialize() const;

  // The payload type when format is one (0..127).
  std::optional<uint8_t> payload_type() const;
  // The value of "name=value" in the ';'-separated parameters (name
  // compared case-insensitively, spaces around items ignored), or nullopt.
  std::optional<std::string_view> parameter(std::string_view name) const;

  bool operator==(const Fmtp&) const = default;
};

}  // namespace conclave::sdp
