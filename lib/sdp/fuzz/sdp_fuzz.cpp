// libFuzzer target: SDP parsing (RFC 8866) and the answers built from it.
//
// Oracle:
//   - parse() either fails with an sdp error or gives a description whose
//     serialization parses back to an equal description and serializes to
//     the same text;
//   - answer_publish_offer (SFU) and answer_subscribe_offer (native
//     client) on that description either fail with an sdp error or give an
//     answer that is valid SDP (parses back equal) and that the offerer's
//     own check (parse_publish_answer / parse_subscribe_answer) accepts,
//     with the same tracks.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "conclave/sdp/negotiation.h"

using conclave::sdp::answer_publish_offer;
using conclave::sdp::answer_subscribe_offer;
using conclave::sdp::Candidate;
using conclave::sdp::Direction;
using conclave::sdp::NegotiatedTrack;
using conclave::sdp::parse_publish_answer;
using conclave::sdp::parse_subscribe_answer;
using conclave::sdp::SessionDescription;
using conclave::sdp::TransportParams;

namespace {

TransportParams params(std::string ufrag, std::string pwd, bool lite, uint16_t port) {
  TransportParams t;
  t.ice_ufrag = std::move(ufrag);
  t.ice_pwd = std::move(pwd);
  t.ice_lite = lite;
  t.fingerprint =
      "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:"
      "CD:EF";
  if (port != 0) t.candidates = {Candidate::host_udp("127.0.0.1", port)};
  return t;
}

void check_sdp_error(const conclave::Error& e) {
  if (e.domain() != "sdp") std::abort();
}

void check_answer(const SessionDescription& answer) {
  auto again = SessionDescription::parse(answer.serialize());
  if (!again.ok() || !(*again == answer)) std::abort();
}

// The offerer's view of a track must agree with the answerer's.
void check_same_tracks(const std::vector<NegotiatedTrack>& answerer,
                       const std::vector<NegotiatedTrack>& offerer) {
  if (answerer.size() != offerer.size()) std::abort();
  for (size_t i = 0; i < answerer.size(); ++i) {
    const auto& a = answerer[i];
    const auto& o = offerer[i];
    const Direction expected =
        a.direction == Direction::recvonly ? Direction::sendonly : Direction::inactive;
    if (a.mid != o.mid || a.kind != o.kind || o.direction != expected ||
        a.payload_type != o.payload_type || a.codec != o.codec || a.ssrcs != o.ssrcs ||
        !(a.ext == o.ext) || a.nack != o.nack || a.pli != o.pli || a.fir != o.fir ||
        a.remb != o.remb || a.transport_cc_fb != o.transport_cc_fb) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);  // NOLINT
  auto parsed = SessionDescription::parse(input);
  if (!parsed.ok()) {
    check_sdp_error(parsed.error());
    return 0;
  }
  const SessionDescription& d = *parsed;
  const std::string text = d.serialize();
  auto again = SessionDescription::parse(text);
  if (!again.ok() || !(*again == d) || again->serialize() != text) std::abort();

  static const TransportParams server = params("SfUu", "sfuPasswordSfuPassword12", true, 40000);
  static const TransportParams client = params("ClNt", "clientPasswordClient+/9", false, 0);

  auto publish = answer_publish_offer(d, server);
  if (!publish.ok()) {
    check_sdp_error(publish.error());
  } else {
    check_answer(publish->answer);
    auto info = parse_publish_answer(d, publish->answer);
    if (!info.ok()) std::abort();
    check_same_tracks(publish->tracks, info->tracks);
    if (info->rejected_mids != publish->rejected_mids) std::abort();
  }

  auto subscribe = answer_subscribe_offer(d, client);
  if (!subscribe.ok()) {
    check_sdp_error(subscribe.error());
  } else {
    check_answer(subscribe->answer);
    auto info = parse_subscribe_answer(d, subscribe->answer);
    if (!info.ok()) std::abort();
    check_same_tracks(subscribe->tracks, info->tracks);
  }
  return 0;
}
