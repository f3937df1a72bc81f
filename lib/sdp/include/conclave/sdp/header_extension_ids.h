// The RTP header extensions Conclave negotiates and the IDs one side bound
// them to (RFC 8285). An ID of 0 means "not negotiated".
//
//   extension                 audio  video  why
//   ssrc-audio-level          yes    -      active-speaker detection (RFC 6464)
//   sdes:mid                  yes    yes    BUNDLE demultiplexing (RFC 8843)
//   transport-wide-cc-01      yes    yes    send-side bandwidth estimation, upstream only
//   abs-send-time             yes    yes    REMB (receive-side estimation)
//   dependency descriptor     -      yes    frame boundaries and key frames in the
//                                           clear: the payload is SFrame ciphertext.
//                                           Required on video.
#pragma once

#include <cstdint>
#include <string_view>

namespace conclave::sdp {

inline constexpr std::string_view kAudioLevelUri = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
inline constexpr std::string_view kMidUri = "urn:ietf:params:rtp-hdrext:sdes:mid";
inline constexpr std::string_view kTransportCcUri =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
inline constexpr std::string_view kAbsSendTimeUri =
    "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
inline constexpr std::string_view kDependencyDescriptorUri =
    "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";

struct HeaderExtensionIds {
  uint8_t audio_level = 0;
  uint8_t mid = 0;
  uint8_t transport_cc = 0;
  uint8_t abs_send_time = 0;
  uint8_t dependency_descriptor = 0;

  // The member that holds the ID of uri, or nullptr for a URI Conclave
  // does not use.
  uint8_t* slot(std::string_view uri);
  // The ID bound to uri, 0 when absent or unknown.
  uint8_t id_of(std::string_view uri) const;

  bool operator==(const HeaderExtensionIds&) const = default;
};

}  // namespace conclave::sdp
