// The subscribe transport (negotiation.h): the SFU offers, the participant
// answers.
#include "conclave/sdp/negotiation.h"
#include "offer_answer.h"

namespace conclave::sdp {

SessionDescription build_subscribe_offer(const TransportParams& server,
                                         std::span<const SubscribeTrack> tracks,
                                         uint64_t session_version) {
  return detail::build_send_offer(server, tracks, session_version, detail::Role::sfu);
}

Result<SubscribeAnswerInfo> parse_subscribe_answer(const SessionDescription& offer,
                                                   const SessionDescription& answer) {
  CV_TRY(auto r, detail::parse_send_answer(offer, answer, detail::Role::sfu));
  return SubscribeAnswerInfo{std::move(r.remote), std::move(r.tracks), std::move(r.rejected_mids),
                             r.extmap_allow_mixed};
}

Result<SubscribeAnswer> answer_subscribe_offer(const SessionDescription& offer,
                                               const TransportParams& client) {
  CV_TRY(auto r, detail::answer_receive_offer(offer, client, detail::Role::client));
  return SubscribeAnswer{std::move(r.answer), std::move(r.remote), std::move(r.tracks),
                         std::move(r.rejected_mids), r.extmap_allow_mixed};
}

}  // namespace conclave::sdp
