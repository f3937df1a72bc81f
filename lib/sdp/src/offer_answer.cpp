#include "offer_answer.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

#include "conclave/base/check.h"
#include "conclave/sdp/extmap.h"
#include "conclave/sdp/fmtp.h"
#include "conclave/sdp/group.h"
#include "conclave/sdp/mid.h"
#include "conclave/sdp/msid.h"
#include "conclave/sdp/rtcp_fb.h"
#include "conclave/sdp/rtpmap.h"
#include "conclave/sdp/ssrc_attribute.h"
#include "conclave/sdp/ssrc_group.h"
#include "syntax.h"

namespace conclave::sdp::detail {

namespace {

// ---- What Conclave negotiates ----

struct CodecSpec {
  std::string_view name;  // the canonical spelling
  uint32_t clock_rate;
  uint8_t channels;  // 0: no encoding parameters
  uint8_t default_payload_type;
};

constexpr CodecSpec kOpus{"opus", 48000, 2, kOpusPayloadType};
constexpr CodecSpec kVp8{"VP8", 90000, 0, kVp8PayloadType};

const CodecSpec* codec_for(MediaKind kind) {
  switch (kind) {
    case MediaKind::audio:
      return &kOpus;
    case MediaKind::video:
      return &kVp8;
    case MediaKind::application:
    case MediaKind::other:
      return nullptr;
  }
  return nullptr;
}

bool matches(const Rtpmap& r, const CodecSpec& c) {
  return iequals(r.encoding_name, c.name) && r.clock_rate == c.clock_rate &&
         r.channels.value_or(1) == (c.channels == 0 ? 1 : c.channels);
}

Rtpmap rtpmap_of(const CodecSpec& c, uint8_t pt) {
  Rtpmap r{pt, std::string(c.name), c.clock_rate, std::nullopt};
  if (c.channels != 0) r.channels = c.channels;
  return r;
}

struct FeedbackSpec {
  std::string_view type;
  std::string_view parameter;
  bool upstream_only;  // the SFU does not offer it on subscribe transports
  bool NegotiatedTrack::*flag;
};

constexpr std::array<FeedbackSpec, 1> kAudioFeedback = {{
    {"transport-cc", "", true, &NegotiatedTrack::transport_cc_fb},
}};
constexpr std::array<FeedbackSpec, 5> kVideoFeedback = {{
    {"goog-remb", "", false, &NegotiatedTrack::remb},
    {"transport-cc", "", true, &NegotiatedTrack::transport_cc_fb},
    {"ccm", "fir", false, &NegotiatedTrack::fir},
    {"nack", "", false, &NegotiatedTrack::nack},
    {"nack", "pli", false, &NegotiatedTrack::pli},
}};

std::span<const FeedbackSpec> feedback_for(MediaKind kind) {
  if (kind == MediaKind::audio) return kAudioFeedback;
  if (kind == MediaKind::video) return kVideoFeedback;
  return {};
}

struct ExtensionSpec {
  std::string_view uri;
  uint8_t HeaderExtensionIds::*slot;
  bool audio;
  bool video;
  bool upstream_only;
};

constexpr std::array<ExtensionSpec, 5> kExtensions = {{
    {kAudioLevelUri, &HeaderExtensionIds::audio_level, true, false, false},
    {kMidUri, &HeaderExtensionIds::mid, true, true, false},
    {kTransportCcUri, &HeaderExtensionIds::transport_cc, true, true, true},
    {kAbsSendTimeUri, &HeaderExtensionIds::abs_send_time, true, true, false},
    {kDependencyDescriptorUri, &HeaderExtensionIds::dependency_descriptor, false, true, false},
}};

bool applies(const ExtensionSpec& e, MediaKind kind) {
  return (kind == MediaKind::audio && e.audio) || (kind == MediaKind::video && e.video);
}

const ExtensionSpec* extension_spec(std::string_view uri, MediaKind kind) {
  for (const auto& e : kExtensions) {
    if (e.uri == uri && applies(e, kind)) return &e;
  }
  return nullptr;
}

// ---- Helpers ----

// FNV-1a of the ufrag, kept below 2^62 and nonzero: a session id that is
// stable for one transport.
uint64_t session_id_for(std::string_view ufrag) {
  uint64_t h = 14695981039346656037ULL;
  for (char c : ufrag) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  h &= 0x3fffffffffffffffULL;
  return h == 0 ? 1 : h;
}

// The section's direction, else the session's, else sendrecv.
Direction direction_of(const SessionDescription& d, const MediaDescription& m) {
  if (auto dir = m.direction()) return *dir;
  for (const auto& a : d.attributes) {
    if (auto dir = direction_from_name(a.name); dir && a.value.empty()) return *dir;
  }
  return Direction::sendrecv;
}

bool allows_mixed(const SessionDescription& d) {
  if (d.has(attr::kExtmapAllowMixed)) return true;
  return std::any_of(d.media.begin(), d.media.end(),
                     [](const MediaDescription& m) { return m.has(attr::kExtmapAllowMixed); });
}

// The first payload type, in the section's preference order, whose
// (first) rtpmap is the codec.
Result<std::optional<uint8_t>> find_codec(const MediaDescription& m, const CodecSpec& spec) {
  CV_TRY(auto pts, m.payload_types());
  CV_TRY(auto maps, m.all<Rtpmap>());
  for (uint8_t pt : pts) {
    auto it = std::find_if(maps.begin(), maps.end(),
                           [pt](const Rtpmap& r) { return r.payload_type == pt; });
    if (it != maps.end() && matches(*it, spec)) return std::optional<uint8_t>(pt);
  }
  return std::optional<uint8_t>();
}

// The extmaps of a section followed by the session-level ones.
Result<std::vector<Extmap>> extmaps_of(const SessionDescription& d, const MediaDescription& m) {
  CV_TRY(auto out, m.all<Extmap>());
  CV_TRY(auto session, d.all<Extmap>());
  out.insert(out.end(), session.begin(), session.end());
  return out;
}

// The bundle-wide binding of extension URIs and IDs (RFC 8843 section 9.1).
class ExtmapBook {
 public:
  Status bind(std::string_view uri, uint8_t id) {
    if (auto u = id_by_uri_.find(uri); u != id_by_uri_.end() && u->second != id) {
      return Error(Errc::conflicting_extmap, "one URI with two IDs");
    }
    if (auto i = uri_by_id_.find(id); i != uri_by_id_.end() && i->second != uri) {
      return Error(Errc::conflicting_extmap, "one ID with two URIs");
    }
    id_by_uri_.emplace(std::string(uri), id);
    uri_by_id_.emplace(id, std::string(uri));
    return ok_status();
  }

 private:
  std::map<std::string, uint8_t, std::less<>> id_by_uri_;
  std::map<uint8_t, std::string> uri_by_id_;
};

// Who sends on a section: its media SSRCs, CNAME and msid.
struct SenderInfo {
  std::vector<uint32_t> ssrcs;
  std::string cname;
  std::string msid_stream;
  std::string msid_track;
};

Result<SenderInfo> sender_info(const MediaDescription& m) {
  CV_TRY(auto attrs, m.all<SsrcAttribute>());
  CV_TRY(auto groups, m.all<SsrcGroup>());
  std::set<uint32_t> repair;
  for (const auto& g : groups) {
    if (iequals(g.semantics, "FID") || iequals(g.semantics, "FEC-FR") ||
        iequals(g.semantics, "FEC")) {
      for (size_t i = 1; i < g.ssrcs.size(); ++i) repair.insert(g.ssrcs[i]);
    }
  }
  SenderInfo out;
  auto add = [&](uint32_t s) {
    if (repair.count(s) == 0 &&
        std::find(out.ssrcs.begin(), out.ssrcs.end(), s) == out.ssrcs.end()) {
      out.ssrcs.push_back(s);
    }
  };
  for (const auto& a : attrs) add(a.ssrc);
  for (const auto& g : groups) {
    for (uint32_t s : g.ssrcs) add(s);
  }
  std::optional<Msid> ssrc_msid;
  if (!out.ssrcs.empty()) {
    for (const auto& a : attrs) {
      if (a.ssrc != out.ssrcs.front()) continue;
      if (a.attribute == "cname" && out.cname.empty()) out.cname = a.value;
      if (a.attribute == "msid" && !ssrc_msid) {
        if (auto p = Msid::parse(a.value); p.ok()) ssrc_msid = *p;
      }
    }
  }
  CV_TRY(auto msids, m.all<Msid>());
  if (!msids.empty()) {
    out.msid_stream = msids.front().stream_id;
    out.msid_track = msids.front().track_id;
  } else if (ssrc_msid) {
    out.msid_stream = ssrc_msid->stream_id;
    out.msid_track = ssrc_msid->track_id;
  }
  return out;
}

// The m= port and c= address: the first usable local candidate, else the
// JSEP placeholders 9 and 0.0.0.0.
void set_address(MediaDescription& m, const TransportParams& local) {
  m.port = 9;
  m.connection = Connection{};
  for (const auto& c : local.candidates) {
    if (c.component == 1 && c.is_udp() && c.port != 0) {
      m.port = c.port;
      m.connection = Connection::for_address(c.address);
      return;
    }
  }
}

MediaDescription rejected_section(const MediaDescription& offered) {
  MediaDescription r;
  r.media = offered.media;
  r.port = 0;
  r.proto = offered.proto;
  r.formats = offered.formats;
  r.connection = Connection{};
  if (auto mid = offered.mid()) r.add(attr::kMid, *mid);
  return r;
}

// The first section listed in the group that exists and is not rejected.
const MediaDescription* tagged_section(const SessionDescription& d, const Group& bundle) {
  for (const auto& mid : bundle.mids) {
    const MediaDescription* m = d.find_media(mid);
    if (m != nullptr && !m->rejected()) return m;
  }
  return nullptr;
}

bool feedback_matches(const RtcpFb& f, const FeedbackSpec& spec, uint8_t pt) {
  return f.applies_to(pt) && iequals(f.type, spec.type) && iequals(f.parameter, spec.parameter);
}

}  // namespace

Result<ReceiveAnswer> answer_receive_offer(const SessionDescription& offer,
                                           const TransportParams& local, Role role) {
  CV_TRY_STATUS(local.validate());
  if (offer.media.empty()) return Error(Errc::no_acceptable_media, "no m= section");
  for (const auto& m : offer.media) {
    if (!m.mid()) return Error(Errc::missing_mid);
  }
  CV_TRY(auto bundle, offer.bundle_group());
  if (!bundle) return Error(Errc::missing_bundle);
  const MediaDescription* tagged = tagged_section(offer, *bundle);
  if (tagged == nullptr) return Error(Errc::missing_bundle, "the group names no usable m= section");
  CV_TRY(auto remote, TransportParams::from_description(offer, *tagged));
  const bool setup_ok = role == Role::sfu
                            ? (remote.setup == Setup::actpass || remote.setup == Setup::active)
                            : (remote.setup == Setup::actpass || remote.setup == Setup::passive);
  if (!setup_ok) return Error(Errc::unacceptable_setup, "the offer's a=setup");

  ReceiveAnswer out;
  out.remote = std::move(remote);
  out.extmap_allow_mixed = allows_mixed(offer);
  SessionDescription& answer = out.answer;
  answer.origin.session_id = session_id_for(local.ice_ufrag);
  answer.origin.session_version = offer.origin.session_version;
  TransportParams local_transport = local;
  local_transport.setup = role == Role::sfu ? Setup::passive : Setup::active;

  ExtmapBook book;
  std::set<uint32_t> ssrcs_seen;
  std::set<std::string, std::less<>> accepted;
  for (const auto& m : offer.media) {
    const std::string mid(*m.mid());
    const CodecSpec* codec = codec_for(m.kind());
    std::optional<uint8_t> pt;
    if (codec != nullptr && m.is_rtp() && !m.rejected() && bundle->contains(mid)) {
      CV_TRY(pt, find_codec(m, *codec));
    }
    if (!pt) {
      answer.media.push_back(rejected_section(m));
      out.rejected_mids.push_back(mid);
      continue;
    }
    if (!m.has(attr::kRtcpMux)) return Error(Errc::missing_rtcp_mux);

    const Direction offered = direction_of(offer, m);
    NegotiatedTrack t;
    t.mid = mid;
    t.kind = m.kind();
    t.direction = sends(offered) ? Direction::recvonly : Direction::inactive;
    t.payload_type = *pt;
    t.codec = std::string(codec->name);
    t.clock_rate = codec->clock_rate;
    t.channels = codec->channels;
    CV_TRY(auto sender, sender_info(m));
    for (uint32_t s : sender.ssrcs) {
      if (!ssrcs_seen.insert(s).second) return Error(Errc::duplicate_ssrc);
    }
    t.ssrcs = std::move(sender.ssrcs);
    t.cname = std::move(sender.cname);
    t.msid_stream = std::move(sender.msid_stream);
    t.msid_track = std::move(sender.msid_track);

    MediaDescription a;
    a.media = m.media;
    set_address(a, local);
    a.proto = m.proto;
    a.formats = {std::to_string(*pt)};
    a.add(attr::kMid, mid);
    a.add(to_string(t.direction));
    local_transport.add_to(a);
    a.add(attr::kRtcpMux);
    if (m.has(attr::kRtcpRsize)) a.add(attr::kRtcpRsize);
    a.add(rtpmap_of(*codec, *pt));
    CV_TRY(auto feedback, m.all<RtcpFb>());
    for (const auto& spec : feedback_for(t.kind)) {
      const bool offered_fb = std::any_of(feedback.begin(), feedback.end(), [&](const RtcpFb& f) {
        return feedback_matches(f, spec, *pt);
      });
      if (!offered_fb) continue;
      a.add(RtcpFb{*pt, std::string(spec.type), std::string(spec.parameter)});
      t.*spec.flag = true;
    }
    if (t.kind == MediaKind::audio) a.add(Fmtp{std::to_string(*pt), std::string(kOpusFmtp)});

    CV_TRY(auto extmaps, extmaps_of(offer, m));
    for (const auto& e : extmaps) {
      CV_TRY_STATUS(book.bind(e.uri, e.id));
      const ExtensionSpec* spec = extension_spec(e.uri, t.kind);
      if (spec == nullptr) continue;
      if (!e.one_byte() && !out.extmap_allow_mixed) continue;
      if (e.direction && !sends(*e.direction)) continue;  // the offerer would not send it
      uint8_t& slot = t.ext.*spec->slot;
      if (slot != 0) continue;
      slot = e.id;
      std::optional<Direction> dir;
      if (e.direction) dir = reverse(*e.direction);
      a.add(Extmap{e.id, dir, e.uri, {}});
    }
    if (t.kind == MediaKind::video && sends(offered) && t.ext.dependency_descriptor == 0) {
      return Error(Errc::missing_dependency_descriptor);
    }
    out.tracks.push_back(std::move(t));
    answer.media.push_back(std::move(a));
    accepted.insert(mid);
  }
  if (accepted.empty()) return Error(Errc::no_acceptable_media);

  if (role == Role::sfu || local.ice_lite) answer.add(attr::kIceLite);
  Group group{std::string(Group::kBundle), {}};
  for (const auto& mid : bundle->mids) {
    if (accepted.count(mid) != 0) group.mids.push_back(mid);
  }
  answer.add(group);
  if (out.extmap_allow_mixed) answer.add(attr::kExtmapAllowMixed);
  return out;
}

SessionDescription build_send_offer(const TransportParams& local,
                                    std::span<const SubscribeTrack> tracks,
                                    uint64_t session_version, Role role) {
  CV_CHECK(local.validate().ok());
  SessionDescription d;
  d.origin.session_id = session_id_for(local.ice_ufrag);
  d.origin.session_version = session_version;
  if (role == Role::sfu || local.ice_lite) d.add(attr::kIceLite);
  Group bundle{std::string(Group::kBundle), {}};
  for (const auto& t : tracks) bundle.mids.push_back(t.mid);
  d.add(bundle);
  d.add(attr::kExtmapAllowMixed);

  TransportParams transport = local;
  transport.setup = Setup::actpass;
  ExtmapBook book;
  std::set<std::string, std::less<>> mids;
  for (const auto& t : tracks) {
    CV_CHECK(validate_mid(t.mid).ok());
    CV_CHECK(mids.insert(t.mid).second);
    const CodecSpec* codec = codec_for(t.kind);
    CV_CHECK(codec != nullptr);
    const uint8_t pt = t.payload_type == 0 ? codec->default_payload_type : t.payload_type;
    CV_CHECK(pt <= 127);

    MediaDescription m;
    m.media = std::string(to_string(t.kind));
    set_address(m, local);
    m.formats = {std::to_string(pt)};
    m.add(attr::kMid, t.mid);
    m.add(t.active ? attr::kSendonly : attr::kInactive);
    transport.add_to(m);
    m.add(attr::kRtcpMux);
    m.add(attr::kRtcpRsize);
    m.add(rtpmap_of(*codec, pt));
    for (const auto& spec : feedback_for(t.kind)) {
      if (role == Role::sfu && spec.upstream_only) continue;
      m.add(RtcpFb{pt, std::string(spec.type), std::string(spec.parameter)});
    }
    if (t.kind == MediaKind::audio) m.add(Fmtp{std::to_string(pt), std::string(kOpusFmtp)});
    for (const auto& spec : kExtensions) {
      if (!applies(spec, t.kind) || (role == Role::sfu && spec.upstream_only)) continue;
      const uint8_t id = t.ext.*spec.slot;
      if (id == 0) continue;
      CV_CHECK(book.bind(spec.uri, id).ok());
      m.add(Extmap{id, std::nullopt, std::string(spec.uri), {}});
    }
    if (t.active) {
      std::optional<Msid> msid;
      if (!t.stream_id.empty() || !t.track_id.empty()) {
        msid = Msid{t.stream_id.empty() ? std::string("-") : t.stream_id, t.track_id};
        CV_CHECK(Msid::is_valid_id(msid->stream_id));
        CV_CHECK(t.track_id.empty() || Msid::is_valid_id(t.track_id));
        m.add(*msid);
      }
      if (!t.cname.empty()) {
        CV_CHECK(is_byte_string(t.cname));
        m.add(SsrcAttribute{t.ssrc, "cname", t.cname});
      }
      if (msid) m.add(SsrcAttribute{t.ssrc, "msid", msid->serialize()});
    }
    d.media.push_back(std::move(m));
  }
  return d;
}

Result<SendAnswerInfo> parse_send_answer(const SessionDescription& offer,
                                         const SessionDescription& answer, Role role) {
  if (answer.media.size() != offer.media.size()) {
    return Error(Errc::answer_mismatch, "number of m= sections");
  }
  CV_TRY(auto bundle, answer.bundle_group());
  SendAnswerInfo out;
  out.extmap_allow_mixed = allows_mixed(offer) && allows_mixed(answer);

  for (size_t i = 0; i < offer.media.size(); ++i) {
    const MediaDescription& om = offer.media[i];
    const MediaDescription& am = answer.media[i];
    if (am.media != om.media) return Error(Errc::answer_mismatch, "media type");
    const auto omid = om.mid();
    const auto amid = am.mid();
    if (!omid) return Error(Errc::missing_mid, "offer");
    if (amid && *amid != *omid) return Error(Errc::answer_mismatch, "mid");
    if (am.rejected()) {
      out.rejected_mids.emplace_back(*omid);
      continue;
    }
    if (om.rejected()) return Error(Errc::answer_mismatch, "accepts a rejected m= section");
    if (!amid) return Error(Errc::missing_mid, "answer");
    if (!bundle || !bundle->contains(*amid)) return Error(Errc::missing_bundle, "answer");
    if (!am.has(attr::kRtcpMux)) return Error(Errc::missing_rtcp_mux);

    const Direction offered = direction_of(offer, om);
    const Direction answered = direction_of(answer, am);
    NegotiatedTrack t;
    if (answered == Direction::inactive) {
      t.direction = Direction::inactive;
    } else if (answered == Direction::recvonly && sends(offered)) {
      t.direction = Direction::sendonly;
    } else {
      return Error(Errc::invalid_direction, "answer");
    }

    const CodecSpec* codec = codec_for(om.kind());
    if (codec == nullptr) return Error(Errc::answer_mismatch, "media type");
    CV_TRY(auto answer_pts, am.payload_types());
    CV_TRY(auto offer_pts, om.payload_types());
    if (answer_pts.empty()) return Error(Errc::answer_mismatch, "payload type");
    const uint8_t pt = answer_pts.front();
    if (std::find(offer_pts.begin(), offer_pts.end(), pt) == offer_pts.end()) {
      return Error(Errc::answer_mismatch, "payload type");
    }
    CV_TRY(auto offer_maps, om.all<Rtpmap>());
    auto offered_map = std::find_if(offer_maps.begin(), offer_maps.end(),
                                    [pt](const Rtpmap& r) { return r.payload_type == pt; });
    if (offered_map == offer_maps.end() || !matches(*offered_map, *codec)) {
      return Error(Errc::answer_mismatch, "codec");
    }
    CV_TRY(auto answer_maps, am.all<Rtpmap>());
    for (const auto& r : answer_maps) {
      if (r.payload_type == pt && !r.same_codec(*offered_map)) {
        return Error(Errc::answer_mismatch, "codec");
      }
    }
    t.mid = std::string(*omid);
    t.kind = om.kind();
    t.payload_type = pt;
    t.codec = std::string(codec->name);
    t.clock_rate = codec->clock_rate;
    t.channels = codec->channels;

    CV_TRY(auto offered_exts, extmaps_of(offer, om));
    CV_TRY(auto answered_exts, extmaps_of(answer, am));
    for (const auto& e : answered_exts) {
      const bool was_offered =
          std::any_of(offered_exts.begin(), offered_exts.end(),
                      [&](const Extmap& o) { return o.id == e.id && o.uri == e.uri; });
      if (!was_offered) return Error(Errc::answer_mismatch, "extmap");
      if (e.direction && !receives(*e.direction)) continue;  // the answerer would not read it
      const ExtensionSpec* spec = extension_spec(e.uri, t.kind);
      if (spec == nullptr) continue;
      uint8_t& slot = t.ext.*spec->slot;
      if (slot == 0) slot = e.id;
    }
    if (t.kind == MediaKind::video && t.direction == Direction::sendonly &&
        t.ext.dependency_descriptor == 0) {
      return Error(Errc::missing_dependency_descriptor, "answer");
    }
    CV_TRY(auto feedback, am.all<RtcpFb>());
    for (const auto& spec : feedback_for(t.kind)) {
      if (std::any_of(feedback.begin(), feedback.end(),
                      [&](const RtcpFb& f) { return feedback_matches(f, spec, pt); })) {
        t.*spec.flag = true;
      }
    }
    CV_TRY(auto sender, sender_info(om));
    t.ssrcs = std::move(sender.ssrcs);
    t.cname = std::move(sender.cname);
    t.msid_stream = std::move(sender.msid_stream);
    t.msid_track = std::move(sender.msid_track);
    out.tracks.push_back(std::move(t));
  }
  if (out.tracks.empty()) return Error(Errc::no_acceptable_media, "every m= section rejected");
  const MediaDescription* tagged = bundle ? tagged_section(answer, *bundle) : nullptr;
  if (tagged == nullptr) return Error(Errc::missing_bundle, "answer");
  CV_TRY(out.remote, TransportParams::from_description(answer, *tagged));
  const Setup required = role == Role::sfu ? Setup::active : Setup::passive;
  if (out.remote.setup != required) return Error(Errc::unacceptable_setup, "the answer's a=setup");
  return out;
}

}  // namespace conclave::sdp::detail
