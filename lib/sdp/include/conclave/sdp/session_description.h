// A whole SDP description (RFC 8866): the session part and its media
// sections, parsed defensively and serialized with CRLF line ends.
//
//   v=0
//   o=- 4611731400430051336 2 IN IP4 127.0.0.1
//   s=-
//   t=0 0
//   a=group:BUNDLE 0 1
//   m=audio 9 UDP/TLS/RTP/SAVPF 111
//   ...
//
// parse() never throws or aborts. It accepts CRLF or bare LF line ends and
// refuses, with a named Errc:
//   - input over kMaxSize bytes, a line over kMaxLineLength, more than
//     kMaxMedia m= sections, kMaxAttributes a= lines in one section,
//     kMaxLines b= or t= lines in one section, MediaDescription::kMaxFormats
//     formats;
//   - a line that is not "<letter>=<value>" or holds NUL or a stray CR, an
//     unknown type letter, v=/o=/s= not first (in that order), a session
//     line inside a media section, a repeated i= or c=, no t=;
//   - a malformed o=, c=, b=, t= or m= line (RTP formats must be payload
//     types 0..127), a malformed attribute name, a value on a flag
//     attribute, and a malformed value of any attribute the library types
//     (attribute.h: validate_attribute);
//   - a repeated single-valued attribute in one section (mid, setup,
//     ice-ufrag, ice-pwd, ice-options, ice-lite, a direction) and two
//     sections sharing a mid.
// u=, e=, p=, r=, z= and k= lines are accepted and dropped; WebRTC has no
// use for them. Everything else is kept, so parse(serialize(d)) == d for
// every d that parse returned.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/sdp/attribute.h"
#include "conclave/sdp/errc.h"
#include "conclave/sdp/fields.h"
#include "conclave/sdp/group.h"
#include "conclave/sdp/media_description.h"

namespace conclave::sdp {

struct SessionDescription {
  static constexpr size_t kMaxSize = 64 * 1024;
  static constexpr size_t kMaxLineLength = 4096;
  static constexpr size_t kMaxMedia = 64;
  static constexpr size_t kMaxAttributes = 512;
  static constexpr size_t kMaxLines = 16;

  Origin origin;
  std::string session_name = "-";
  std::optional<std::string> information;  // i=
  std::optional<Connection> connection;    // c=
  std::vector<Bandwidth> bandwidths;       // b=
  std::vector<Timing> timings{Timing{}};   // t=, at least one
  std::vector<Attribute> attributes;       // session-level a=, in order
  std::vector<MediaDescription> media;

  static Result<SessionDescription> parse(std::string_view text);
  // The description with CRLF line ends.
  std::string serialize() const;

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

  // The media section with a=mid:<mid>, or nullptr.
  const MediaDescription* find_media(std::string_view mid) const;
  // The first a=group:BUNDLE, or nullopt. Errors: invalid_group.
  Result<std::optional<Group>> bundle_group() const;

  bool operator==(const SessionDescription&) const = default;
};

}  // namespace conclave::sdp
