// RtpExtensionIds: the RFC 8285 header-extension IDs negotiated for one
// stream (the SDP "a=extmap" lines), 0 for an extension not negotiated.
// The native senders write, and the receivers read, only the IDs given
// here; they never guess.
//
//   audio_level            RFC 6464 client-to-mixer level (audio)
//   mid (+ mid_value)      RFC 8843 MID of the media section (BUNDLE)
//   transport_cc           transport-wide sequence number (transport-cc)
//   abs_send_time          WebRTC abs-send-time (6.18 s, from the Clock)
//   dependency_descriptor  AV1 RTP spec appendix A.8 (video: required,
//                          since the payload is SFrame ciphertext)
#pragma once

#include <cstdint>
#include <string>

namespace conclave::client {

struct RtpExtensionIds {
  uint8_t audio_level = 0;
  uint8_t mid = 0;
  std::string mid_value;  // the a=mid token sent when mid != 0
  uint8_t transport_cc = 0;
  uint8_t abs_send_time = 0;
  uint8_t dependency_descriptor = 0;
};

}  // namespace conclave::client
