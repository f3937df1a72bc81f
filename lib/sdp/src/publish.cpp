// The publish transport (negotiation.h): the participant offers, the SFU
// answers.
#include "conclave/sdp/negotiation.h"
#include "offer_answer.h"

namespace conclave::sdp {

Result<PublishAnswer> answer_publish_offer(const SessionDescription& offer,
                                           const TransportParams& server) {
  CV_TRY(auto r, detail::answer_receive_offer(offer, server, detail::Role::sfu));
  return PublishAnswer{std::move(r.answer), std::move(r.remote), std::move(r.tracks),
                       std::move(r.rejected_mids), r.extmap_allow_mixed};
}

SessionDescription build_publish_offer(const TransportParams& client,
                                       std::span<const PublishTrack> tracks,
                                       uint64_t session_version) {
  std::vector<SubscribeTrack> send;
  send.reserve(tracks.size());
  for (const auto& t : tracks) {
    send.push_back(SubscribeTrack{t.mid, t.kind, t.ssrc, t.cname, t.stream_id, t.track_id, true, 0,
                                  kPublishExtensionIds});
  }
  return detail::build_send_offer(client, send, session_version, detail::Role::client);
}

Result<PublishAnswerInfo> parse_publish_answer(const SessionDescription& offer,
                                               const SessionDescription& answer) {
  CV_TRY(auto r, detail::parse_send_answer(offer, answer, detail::Role::client));
  return PublishAnswerInfo{std::move(r.remote), std::move(r.tracks), std::move(r.rejected_mids),
                           r.extmap_allow_mixed};
}

}  // namespace conclave::sdp
