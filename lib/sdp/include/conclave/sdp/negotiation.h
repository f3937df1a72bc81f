// Offer/answer for Conclave's two WebRTC transports (RFC 8829 JSEP, RFC
// 3264), as pure functions over SessionDescription.
//
// Every participant has two transports with the SFU, both on the server's
// single UDP port:
//
//   PUBLISH    participant --offer (sendonly audio/video/screen)--> SFU
//              participant <--answer (recvonly)------------------- SFU
//              answer_publish_offer (SFU), build_publish_offer and
//              parse_publish_answer (native client)
//   SUBSCRIBE  participant <--offer (one sendonly m= per remote track)-- SFU
//              participant --answer (recvonly)--------------------------> SFU
//              build_subscribe_offer and parse_subscribe_answer (SFU),
//              answer_subscribe_offer (native client; browsers answer
//              themselves)
//
// When remote tracks come and go the SFU offers again with the same m=
// sections in the same order (JSEP never removes one): a departed track's
// section becomes a=inactive and may later carry a new track of its kind.
//
// Fixed rules (the lead's design; see DESIGN.md "Transport decisions"):
//   - BUNDLE on every m= section, rtcp-mux required, ICE-lite on the SFU.
//   - DTLS: the SFU is always the DTLS server. Its answers say
//     a=setup:passive (the offer must say actpass or active); its offers
//     say a=setup:actpass and the participant must answer active. The
//     native client offers actpass and answers active. Builders write
//     these roles whatever TransportParams::setup holds; setup is only an
//     output of the parsing functions.
//   - Fingerprints: sha-256 only.
//   - Codecs: Opus 48000/2 (fmtp minptime=10;useinbandfec=1; rtcp-fb
//     transport-cc) and VP8/90000 (rtcp-fb goog-remb, transport-cc, ccm
//     fir, nack, nack pli). Nothing else: RTX, RED, FEC, other codecs are
//     left out of answers (which is how an answer refuses them).
//   - Header extensions: header_extension_ids.h. An answer keeps the
//     offer's ID for each extension it accepts. IDs 1-14 are accepted
//     always, 15-255 only with a=extmap-allow-mixed on both sides (the
//     two-byte form). One URI has one ID across the bundle and the other
//     way round (conflicting_extmap otherwise).
//   - The dependency descriptor is REQUIRED on every video m= section that
//     carries media (frames are SFrame ciphertext, the descriptor carries
//     frame boundaries and key-frame flags): missing_dependency_descriptor.
//   - No transport-cc downstream: the SFU's subscribe offers carry neither
//     the transport-wide-cc extension nor rtcp-fb transport-cc; the SFU
//     estimates a subscriber's bandwidth from REMB (goog-remb with
//     abs-send-time).
//
// Answering (answer_publish_offer, answer_subscribe_offer): refusals of
// the whole offer are missing_bundle, missing_mid, missing_rtcp_mux,
// missing_ice_credentials, missing_fingerprint, unsupported_fingerprint,
// unacceptable_setup, missing_dependency_descriptor, conflicting_extmap,
// duplicate_ssrc and no_acceptable_media. An m= section that merely cannot
// be used (port 0 already, a data channel, another media type or profile,
// no Opus/VP8, outside the BUNDLE group) is rejected the JSEP way: port 0
// and a=mid in the answer, listed in rejected_mids.
//
// The answer's o= line: session id derived from the local ICE ufrag (stable
// for a transport), session version copied from the offer (it grows with
// every new offer).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/sdp/direction.h"
#include "conclave/sdp/errc.h"
#include "conclave/sdp/header_extension_ids.h"
#include "conclave/sdp/media_description.h"
#include "conclave/sdp/session_description.h"
#include "conclave/sdp/transport_params.h"

namespace conclave::sdp {

inline constexpr uint8_t kOpusPayloadType = 111;
inline constexpr uint8_t kVp8PayloadType = 96;
inline constexpr std::string_view kOpusFmtp = "minptime=10;useinbandfec=1";

// The IDs build_publish_offer binds (one ID space for the whole bundle):
// 1 audio level, 2 mid, 3 transport-cc, 4 abs-send-time, 5 dependency
// descriptor. Audio sections carry 1-4, video sections 2-5.
inline constexpr HeaderExtensionIds kPublishExtensionIds{
    .audio_level = 1, .mid = 2, .transport_cc = 3, .abs_send_time = 4, .dependency_descriptor = 5};
// The default IDs of a SubscribeTrack: the same without transport-cc.
inline constexpr HeaderExtensionIds kSubscribeExtensionIds{
    .audio_level = 1, .mid = 2, .transport_cc = 0, .abs_send_time = 4, .dependency_descriptor = 5};

// One accepted m= section, as both sides agreed on it.
struct NegotiatedTrack {
  std::string mid;
  MediaKind kind = MediaKind::audio;
  // The local side's direction: recvonly or inactive for the answering
  // functions, sendonly or inactive for parse_*_answer.
  Direction direction = Direction::inactive;
  uint8_t payload_type = 0;
  std::string codec;  // "opus" or "VP8"
  uint32_t clock_rate = 0;
  uint8_t channels = 0;  // 2 for Opus, 0 for video
  // The sender's media SSRCs in a=ssrc order; the repair SSRCs of FID and
  // FEC-FR groups are left out (RTX/FEC are not negotiated). May be empty
  // (routing by MID only).
  std::vector<uint32_t> ssrcs;
  std::string cname;        // a=ssrc:<first media ssrc> cname, or empty
  std::string msid_stream;  // a=msid (or a=ssrc msid), or empty
  std::string msid_track;
  HeaderExtensionIds ext;  // 0 = not negotiated
  // RTCP feedback the receiver may send for payload_type.
  bool nack = false;
  bool pli = false;
  bool fir = false;
  bool remb = false;
  bool transport_cc_fb = false;

  bool operator==(const NegotiatedTrack&) const = default;
};

// ---- SFU side ----

struct PublishAnswer {
  SessionDescription answer;
  TransportParams client;               // the participant's ICE/DTLS parameters
  std::vector<NegotiatedTrack> tracks;  // every accepted m= section, in order
  std::vector<std::string> rejected_mids;
  bool extmap_allow_mixed = false;  // the two-byte header extension form may be used
};

// Answers a participant's publish offer: every accepted m= section becomes
// recvonly (inactive when the offer does not send on it) with the offer's
// payload type for Opus or VP8, the supported rtcp-fb the offer lists, the
// accepted header extensions with the offer's IDs, a=rtcp-mux (and
// a=rtcp-rsize when offered), server's credentials, fingerprint and
// candidates (a=end-of-candidates), a=setup:passive, and a=ice-lite at the
// session level. The m= line's port and c= address are those of server's
// first candidate (9 and 0.0.0.0 without one). Errors: see the overview;
// an invalid `server` gives its TransportParams::validate() error.
Result<PublishAnswer> answer_publish_offer(const SessionDescription& offer,
                                           const TransportParams& server);

struct SubscribeTrack {
  std::string mid;                    // a token, unique in the offer
  MediaKind kind = MediaKind::audio;  // audio or video
  uint32_t ssrc = 0;                  // the SSRC the SFU sends this track with
  std::string cname;                  // empty: no a=ssrc cname line
  std::string stream_id;              // msid-ids; both empty: no msid
  std::string track_id;
  bool active = true;                               // false: a=inactive, no SSRC or msid lines
  uint8_t payload_type = 0;                         // 0: kOpusPayloadType / kVp8PayloadType
  HeaderExtensionIds ext = kSubscribeExtensionIds;  // transport_cc is ignored

  bool operator==(const SubscribeTrack&) const = default;
};

// The SFU's offer on a subscribe transport: one sendonly (or inactive)
// m= section per track, in the order given, with a=mid, a=msid and
// a=ssrc cname/msid lines, rtcp-mux, rtcp-rsize, the codec with its
// rtcp-fb (no transport-cc) and fmtp, the extensions (audio level, mid,
// abs-send-time; mid, abs-send-time and dependency descriptor on video; an
// ID of 0 leaves one out), server's transport with a=setup:actpass, and at
// the session level a=ice-lite, a=extmap-allow-mixed and a BUNDLE group
// over every mid. Preconditions (checked, they are the caller's
// invariants): server.validate() passes; mids are valid and unique; kinds
// are audio or video; payload types <= 127; stream/track ids valid
// msid-ids; an extension URI has one ID across tracks and different URIs
// different IDs.
SessionDescription build_subscribe_offer(const TransportParams& server,
                                         std::span<const SubscribeTrack> tracks,
                                         uint64_t session_version);

struct SubscribeAnswerInfo {
  TransportParams client;
  std::vector<NegotiatedTrack> tracks;  // accepted sections; direction sendonly or inactive
  std::vector<std::string> rejected_mids;
  bool extmap_allow_mixed = false;
};

// Checks a participant's answer to build_subscribe_offer: the same m=
// sections (kind, mid) in the same order, each rejected (port 0) or
// recvonly/inactive (inactive where the offer is inactive), the offered
// payload type, only offered extension IDs, rtcp-mux, a BUNDLE group over
// the accepted mids, ICE credentials, a sha-256 fingerprint and
// a=setup:active. Errors: answer_mismatch, invalid_direction,
// missing_bundle, missing_rtcp_mux, missing_dependency_descriptor, the
// transport errors of TransportParams::from_description,
// unacceptable_setup, no_acceptable_media (everything rejected).
Result<SubscribeAnswerInfo> parse_subscribe_answer(const SessionDescription& offer,
                                                   const SessionDescription& answer);

// ---- native client side ----

struct PublishTrack {
  std::string mid;
  MediaKind kind = MediaKind::audio;  // audio or video (camera or screen)
  uint32_t ssrc = 0;
  std::string cname;
  std::string stream_id;
  std::string track_id;

  bool operator==(const PublishTrack&) const = default;
};

// The native client's publish offer: like build_subscribe_offer but every
// section sendonly, Opus as payload type 111 and VP8 as 96, the full
// rtcp-fb set, kPublishExtensionIds (with transport-cc), client's
// transport with a=setup:actpass, no a=ice-lite unless client.ice_lite.
// Same preconditions.
SessionDescription build_publish_offer(const TransportParams& client,
                                       std::span<const PublishTrack> tracks,
                                       uint64_t session_version = 1);

struct PublishAnswerInfo {
  TransportParams server;
  std::vector<NegotiatedTrack> tracks;  // accepted sections; direction sendonly or inactive
  std::vector<std::string> rejected_mids;
  bool extmap_allow_mixed = false;
};

// Checks the SFU's answer to build_publish_offer as parse_subscribe_answer
// does, except that the answer must say a=setup:passive.
Result<PublishAnswerInfo> parse_publish_answer(const SessionDescription& offer,
                                               const SessionDescription& answer);

struct SubscribeAnswer {
  SessionDescription answer;
  TransportParams server;
  std::vector<NegotiatedTrack> tracks;  // the remote tracks: ssrcs, mids, msids
  std::vector<std::string> rejected_mids;
  bool extmap_allow_mixed = false;
};

// The native client's answer to the SFU's subscribe offer, by the rules of
// answer_publish_offer except: the offer must say actpass or passive, the
// answer says a=setup:active, and a=ice-lite only if client.ice_lite.
Result<SubscribeAnswer> answer_subscribe_offer(const SessionDescription& offer,
                                               const TransportParams& client);

}  // namespace conclave::sdp
