// MediaService: the signaling thread's side of the SFU. It negotiates each
// participant's two WebRTC transports in SDP and tells the MediaServer
// (the media thread) what to create and route.
//
//   media_publish(offer)  -> answer_publish_offer: a publish transport
//       (fresh ICE ufrag/pwd, the server's DTLS certificate, the media
//       port as the one host candidate) and its tracks; every other
//       participant's subscribe offer gains a section for each track.
//   media_subscribe       -> build_subscribe_offer: one sendonly section
//       per track of the others (inactive once a track has gone; a
//       section of the same kind is reused for the next track).
//   media_answer(answer)  -> parse_subscribe_answer: the subscribe
//       transport is created (first answer) and routed.
//   leave                 -> both transports and the tracks removed; the
//       others get new offers.
//
// Offers that changed are collected per participant and taken by the
// signaling service (take_offers) to send as `media_offer`. SSRCs are
// checked unique per meeting here, before the Router sees them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conclave/base/result.h"
#include "conclave/net/fingerprint.h"
#include "conclave/sdp/negotiation.h"
#include "conclave/server/errc.h"
#include "conclave/server/media_server.h"

namespace conclave::server {

class MediaService {
 public:
  // `candidate_host`: the address put in a=candidate (the media port's).
  MediaService(MediaServer& media, net::Fingerprint fingerprint, std::string candidate_host);

  struct Reply {
    std::string sdp;
    nlohmann::json tracks = nlohmann::json::array();
    uint64_t version = 0;
  };

  // Errors carry sdp::Errc (the offer or answer was refused) or
  // server::Errc::media_state (out of order, stale version).
  Result<Reply> publish(const std::string& meeting, const std::string& participant,
                        std::string_view offer);
  // The first offer; an empty Reply (version 0) when nobody else publishes
  // yet: the offer then comes with the first track (take_offers).
  Result<Reply> subscribe(const std::string& meeting, const std::string& participant);
  Status answer(const std::string& meeting, const std::string& participant,
                std::string_view answer, uint64_t version);
  void leave(const std::string& meeting, const std::string& participant);

  // The participants of `meeting` whose subscribe offer changed, with it.
  std::vector<std::pair<std::string, Reply>> take_offers(const std::string& meeting);

  // Who owns a publish or subscribe transport (for SFU events).
  std::optional<std::pair<std::string, std::string>> owner(sfu::TransportId id) const;
  bool is_publish(sfu::TransportId id) const { return publish_transports_.contains(id); }

 private:
  struct Track {
    std::string participant;
    sfu::TransportId transport = 0;  // the publisher's
    sdp::MediaKind kind = sdp::MediaKind::audio;
    uint32_t ssrc = 0;
    std::string cname, stream_id, track_id;
  };
  struct Slot {  // one section of a subscribe offer
    std::string mid;
    sdp::MediaKind kind = sdp::MediaKind::audio;
    std::optional<Track> track;  // nullopt: inactive
  };
  struct Member {
    sfu::TransportId publish = 0;
    std::vector<Track> published;
    // Subscribe transport.
    bool subscribing = false;
    sfu::TransportId subscribe = 0;  // 0 until the first answer
    std::string ufrag;
    std::string pwd;
    std::vector<Slot> slots;
    uint64_t version = 0;
    std::optional<sdp::SessionDescription> offer;  // the latest sent
    bool dirty = false;
  };
  struct Meeting {
    std::map<std::string, Member> members;
  };

  sdp::TransportParams server_params(std::string ufrag, std::string pwd) const;
  Reply make_offer(Member& member);
  // Brings a member's slots in line with the meeting's tracks; true when
  // they changed. Routes and unroutes at once when connected.
  bool sync_slots(Meeting& m, const std::string& who, Member& member);
  void remove_publish(const std::string& meeting, Member& member);

  MediaServer& media_;
  net::Fingerprint fingerprint_;
  std::string candidate_host_;
  sfu::TransportId next_transport_ = 1;
  std::map<std::string, Meeting> meetings_;
  std::map<sfu::TransportId, std::pair<std::string, std::string>> owners_;
  std::set<sfu::TransportId> publish_transports_;
};

}  // namespace conclave::server
