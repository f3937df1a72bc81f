#include "conclave/server/media_service.h"

#include <gtest/gtest.h>

#include "conclave/sdp/negotiation.h"

namespace conclave::server {
namespace {

sdp::TransportParams client_params(const std::string& ufrag) {
  sdp::TransportParams p;
  p.ice_ufrag = ufrag;
  p.ice_pwd = "aclientpassword0123456789xyz";
  p.fingerprint = net::Certificate::generate_self_signed()->fingerprint().str();
  return p;
}

std::string publish_offer(const std::string& ufrag, uint32_t audio_ssrc, uint32_t video_ssrc) {
  std::vector<sdp::PublishTrack> tracks = {
      {"0", sdp::MediaKind::audio, audio_ssrc, "c", "s", "a"},
      {"1", sdp::MediaKind::video, video_ssrc, "c", "s", "v"}};
  return sdp::build_publish_offer(client_params(ufrag), tracks).serialize();
}

class MediaServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cert = net::Certificate::generate_self_signed();
    ASSERT_TRUE(cert);
    fingerprint_ = cert->fingerprint();
    auto media = MediaServer::start("127.0.0.1", 0, *cert, clock_, nullptr);
    ASSERT_TRUE(media);
    media_ = std::move(*media);
    service_ = std::make_unique<MediaService>(*media_, fingerprint_, "127.0.0.1");
  }

  // The subscriber's answer to its latest offer, as a native client makes it.
  std::string answer_to(const MediaService::Reply& offer, const std::string& ufrag) {
    auto parsed = sdp::SessionDescription::parse(offer.sdp);
    EXPECT_TRUE(parsed);
    auto answer = sdp::answer_subscribe_offer(*parsed, client_params(ufrag));
    EXPECT_TRUE(answer) << answer.error().to_string();
    return answer->answer.serialize();
  }

  SteadyClock clock_;
  net::Fingerprint fingerprint_ = *net::Fingerprint::from_bytes(Bytes(32, 0));
  std::unique_ptr<MediaServer> media_;
  std::unique_ptr<MediaService> service_;
};

TEST_F(MediaServiceTest, PublishAnswersWithTheServersTransport) {
  auto reply = service_->publish("m", "p1", publish_offer("alic", 11, 12));
  ASSERT_TRUE(reply) << reply.error().to_string();
  auto answer = sdp::SessionDescription::parse(reply->sdp);
  ASSERT_TRUE(answer);
  auto offer = sdp::SessionDescription::parse(publish_offer("alic", 11, 12));
  // The client side reads it back: ICE-lite, our fingerprint, the media port.
  auto info = sdp::parse_publish_answer(*offer, *answer);
  ASSERT_TRUE(info) << info.error().to_string();
  EXPECT_TRUE(info->server.ice_lite);
  EXPECT_EQ(info->server.fingerprint, fingerprint_.str());
  ASSERT_EQ(info->server.candidates.size(), 1u);
  EXPECT_EQ(info->server.candidates[0].port, media_->port());
  ASSERT_EQ(reply->tracks.size(), 2u);
  EXPECT_EQ(reply->tracks[1]["kind"], "video");
  EXPECT_EQ(reply->tracks[1]["ssrc"], 12);
  EXPECT_EQ(reply->tracks[1]["participant_id"], "p1");
}

TEST_F(MediaServiceTest, RefusesBadOffersAndSsrcsInUse) {
  EXPECT_FALSE(service_->publish("m", "p1", "v=0\r\nnot sdp"));
  ASSERT_TRUE(service_->publish("m", "p1", publish_offer("alic", 11, 12)));
  auto clash = service_->publish("m", "p2", publish_offer("bobb", 12, 13));
  ASSERT_FALSE(clash);
  EXPECT_TRUE(clash.error().is(sdp::Errc::duplicate_ssrc));
  // Another meeting may use the same SSRCs; the publisher may replace its own.
  EXPECT_TRUE(service_->publish("other", "p9", publish_offer("carl", 11, 12)));
  EXPECT_TRUE(service_->publish("m", "p1", publish_offer("alic", 11, 12)));
}

TEST_F(MediaServiceTest, SubscribeOffersFollowTheTracksOfOthers) {
  // Alone in the meeting: nothing to offer yet; the offer comes with the
  // first track of someone else.
  auto early = service_->subscribe("m", "p2");
  ASSERT_TRUE(early);
  EXPECT_EQ(early->version, 0u);
  EXPECT_TRUE(early->sdp.empty());
  ASSERT_TRUE(service_->publish("m", "p1", publish_offer("alic", 11, 12)));
  auto pending = service_->take_offers("m");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].first, "p2");
  EXPECT_EQ(pending[0].second.version, 1u);
  auto offer = service_->subscribe("m", "p2");  // asked again: the same sections
  ASSERT_TRUE(offer);
  EXPECT_EQ(offer->version, 2u);
  ASSERT_EQ(offer->tracks.size(), 2u);
  EXPECT_EQ(offer->tracks[0]["participant_id"], "p1");
  // Own tracks are never offered back.
  auto own = service_->subscribe("m", "p1");
  ASSERT_TRUE(own);
  EXPECT_TRUE(own->tracks.empty());

  EXPECT_TRUE(service_->answer("m", "p2", answer_to(*offer, "bobs"), 2));
  // A stale version and a garbled answer are refused.
  EXPECT_TRUE(service_->answer("m", "p2", answer_to(*offer, "bobs"), 1).error().is(
      Errc::media_state));
  EXPECT_FALSE(service_->answer("m", "p2", "garbage", 2));
  EXPECT_TRUE(service_->answer("m", "p3", "x", 1).error().is(Errc::media_state));

  // p3 publishes: p2 and p1 get new offers with its tracks.
  ASSERT_TRUE(service_->publish("m", "p3", publish_offer("carl", 21, 22)));
  auto offers = service_->take_offers("m");
  ASSERT_EQ(offers.size(), 2u);
  for (const auto& [who, o] : offers) {
    if (who == "p2") {
      EXPECT_EQ(o.version, 3u);
      EXPECT_EQ(o.tracks.size(), 4u);
    } else {
      EXPECT_EQ(who, "p1");
      EXPECT_EQ(o.tracks.size(), 2u);
    }
  }
  EXPECT_TRUE(service_->take_offers("m").empty());

  // p1 leaves: p2's offer keeps the sections, p1's become inactive.
  service_->leave("m", "p1");
  offers = service_->take_offers("m");
  bool saw_p2 = false;
  for (const auto& [who, o] : offers) {
    if (who != "p2") continue;
    saw_p2 = true;
    EXPECT_EQ(o.tracks.size(), 2u);  // only p3's are active
    auto parsed = sdp::SessionDescription::parse(o.sdp);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->media.size(), 4u);
  }
  EXPECT_TRUE(saw_p2);
}

}  // namespace
}  // namespace conclave::server
