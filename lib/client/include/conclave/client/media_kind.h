// MediaKind: audio or video, and the SFrame context IDs the native client
// sends each kind under.
//
// Every member sends each kind under its own KID (RFC 9605 section 5.2:
// KID = context | sender leaf | epoch bits), so the audio and video
// streams of one sender never share an SFrame key or counter. A receiver
// checks that a frame which arrived on a video track was protected under
// the video context: a frame spliced from another track fails that check
// even though it authenticates.
#pragma once

#include <cstdint>
#include <string_view>

namespace conclave::client {

enum class MediaKind : uint8_t { audio, video };

inline constexpr uint64_t kAudioContextId = 0;
inline constexpr uint64_t kVideoContextId = 1;
inline constexpr uint64_t kScreenContextId = 2;  // reserved for screen share

inline constexpr uint64_t sframe_context_id(MediaKind kind) {
  return kind == MediaKind::audio ? kAudioContextId : kVideoContextId;
}

inline constexpr std::string_view to_string(MediaKind kind) {
  return kind == MediaKind::audio ? "audio" : "video";
}

}  // namespace conclave::client
