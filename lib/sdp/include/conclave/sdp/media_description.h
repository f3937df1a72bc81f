// One media section: the m= line and the lines under it (RFC 8866
// section 5.14), with every a= line kept in order.
//   m=<media> <port>[/<number of ports>] <proto> <fmt> ...
//   m=video 9 UDP/TLS/RTP/SAVPF 96 97
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/sdp/attribute.h"
#include "conclave/sdp/direction.h"
#include "conclave/sdp/errc.h"
#include "conclave/sdp/fields.h"

namespace conclave::sdp {

enum class MediaKind { audio, video, application, other };

// "audio", "video", "application"; "other" for MediaKind::other.
std::string_view to_string(MediaKind kind);
// The kind of an m= media token; other for anything but the three above.
MediaKind media_kind_from_name(std::string_view media);

struct MediaDescription {
  static constexpr size_t kMaxFormats = 128;
  static constexpr std::string_view kWebRtcProto = "UDP/TLS/RTP/SAVPF";

  std::string media = "audio";  // the m= media token; see kind()
  uint16_t port = 9;            // 0: the section is rejected (unless a=bundle-only)
  std::optional<uint16_t> port_count;
  std::string proto = std::string(kWebRtcProto);  // tokens joined by '/'
  std::vector<std::string> formats;               // 1..kMaxFormats tokens
  std::optional<std::string> information;         // i=
  std::optional<Connection> connection;           // c=
  std::vector<Bandwidth> bandwidths;              // b=
  std::vector<Attribute> attributes;              // a=, in order

  // The value of an m= line (without "m="). Errors: invalid_media_line,
  // too_many_values.
  static Result<MediaDescription> parse_media_line(std::string_view value);
  std::string media_line() const;

  MediaKind kind() const { return media_kind_from_name(media); }
  // An RTP profile ("RTP/AVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVPF", ...): the
  // formats are payload types.
  bool is_rtp() const;
  // Port 0 without a=bundle-only (RFC 8843 section 6).
  bool rejected() const;

  const Attribute* find(std::string_view name) const { return find_attribute(attributes, name); }
  bool has(std::string_view name) const { return find(name) != nullptr; }
  void add(std::string_view name, std::string_view value = {}) {
    attributes.push_back(Attribute{std::string(name), std::string(value)});
  }
  template <TypedAttribute T>
  void add(const T& typed) {
    add(T::kName, typed.serialize());
  }
  template <TypedAttribute T>
  Result<std::vector<T>> all() const {
    return parse_all<T>(attributes);
  }

  // a=mid, or nullopt.
  std::optional<std::string_view> mid() const;
  // The section's own direction attribute, or nullopt (sendrecv by default).
  std::optional<Direction> direction() const;
  // The formats as RTP payload types. Errors: invalid_media_line.
  Result<std::vector<uint8_t>> payload_types() const;

  bool operator==(const MediaDescription&) const = default;
};

}  // namespace conclave::sdp
