#include "conclave/sdp/media_description.h"

#include "syntax.h"

namespace conclave::sdp {

std::string_view to_string(MediaKind kind) {
  switch (kind) {
    case MediaKind::audio:
      return "audio";
    case MediaKind::video:
      return "video";
    case MediaKind::application:
      return "application";
    case MediaKind::other:
      return "other";
  }
  return "other";
}

MediaKind media_kind_from_name(std::string_view media) {
  if (media == "audio") return MediaKind::audio;
  if (media == "video") return MediaKind::video;
  if (media == "application") return MediaKind::application;
  return MediaKind::other;
}

namespace {

bool is_proto(std::string_view proto) {
  // token *("/" token)
  size_t start = 0;
  while (true) {
    const size_t slash = proto.find('/', start);
    if (!detail::is_token(proto.substr(start, slash - start))) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

}  // namespace

Result<MediaDescription> MediaDescription::parse_media_line(std::string_view value) {
  auto fields_or = detail::split_fields(value, 3 + kMaxFormats);
  if (!fields_or) return Error(Errc::too_many_values, "formats");
  const auto& f = *fields_or;
  if (f.size() < 4) return Error(Errc::invalid_media_line, "fields");
  MediaDescription m;
  if (!detail::is_token(f[0])) return Error(Errc::invalid_media_line, "media");
  m.media = std::string(f[0]);

  std::string_view port = f[1];
  const size_t slash = port.find('/');
  if (slash != std::string_view::npos) {
    auto count = detail::parse_uint<uint16_t>(port.substr(slash + 1));
    if (!count || *count == 0) return Error(Errc::invalid_media_line, "number of ports");
    m.port_count = *count;
    port = port.substr(0, slash);
  }
  auto p = detail::parse_uint<uint16_t>(port);
  if (!p) return Error(Errc::invalid_media_line, "port");
  m.port = *p;

  if (!is_proto(f[2])) return Error(Errc::invalid_media_line, "proto");
  m.proto = std::string(f[2]);
  m.formats.clear();
  for (size_t i = 3; i < f.size(); ++i) {
    if (!detail::is_token(f[i])) return Error(Errc::invalid_media_line, "fmt");
    m.formats.emplace_back(f[i]);
  }
  if (m.is_rtp() && !m.payload_types().ok()) {
    return Error(Errc::invalid_media_line, "payload type");
  }
  return m;
}

std::string MediaDescription::media_line() const {
  std::string out = media + " " + std::to_string(port);
  if (port_count) out += "/" + std::to_string(*port_count);
  out += " " + proto;
  for (const auto& f : formats) out += " " + f;
  return out;
}

bool MediaDescription::is_rtp() const {
  // RTP/AVP, RTP/SAVP, RTP/AVPF, RTP/SAVPF, with or without UDP/TLS/ or TCP/...
  return proto.find("RTP/") != std::string::npos;
}

bool MediaDescription::rejected() const {
  return port == 0 && !has(attr::kBundleOnly);
}

std::optional<std::string_view> MediaDescription::mid() const {
  const Attribute* a = find(attr::kMid);
  if (a == nullptr) return std::nullopt;
  return std::string_view(a->value);
}

std::optional<Direction> MediaDescription::direction() const {
  for (const auto& a : attributes) {
    if (auto d = direction_from_name(a.name); d && a.value.empty()) return d;
  }
  return std::nullopt;
}

Result<std::vector<uint8_t>> MediaDescription::payload_types() const {
  std::vector<uint8_t> out;
  out.reserve(formats.size());
  for (const auto& f : formats) {
    auto pt = detail::parse_payload_type(f);
    if (!pt) return Error(Errc::invalid_media_line, "payload type");
    out.push_back(*pt);
  }
  return out;
}

}  // namespace conclave::sdp
