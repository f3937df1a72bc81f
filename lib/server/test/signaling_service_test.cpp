#include "conclave/server/signaling_service.h"

#include <gtest/gtest.h>

#include "fake_connection.h"
#include "test_env.h"

namespace conclave::server {
namespace {

using nlohmann::json;
using testing::FakeConnection;
using namespace std::chrono_literals;

class SignalingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::open_test_store(dir_.path());
    ASSERT_NE(store_, nullptr);
    config_.auth_per_address = {3, 1};
    config_.auth_per_meeting = {5, 1};
    config_.max_message_bytes = 2048;
    service_ = std::make_unique<SignalingService>(*store_, clock_, config_);
    auto m = store_->create_meeting({"pass", true}, 1);
    ASSERT_TRUE(m.ok());
    meeting_id_ = m->meeting.id.str();
    host_key_ = m->host_key.text();
  }

  std::shared_ptr<FakeConnection> connect(std::string address = "10.0.0.1") {
    auto c = std::make_shared<FakeConnection>(next_id_++, std::move(address));
    service_->on_websocket_open(c);
    return c;
  }
  void send(FakeConnection& c, const json& j) { send_text(c, j.dump()); }
  void send_text(FakeConnection& c, const std::string& text, bool binary = false) {
    service_->on_websocket_message(c, net::WebSocketMessage{text, binary});
  }
  json hello(std::string name, std::optional<std::string> passcode,
             std::optional<std::string> host_key = std::nullopt, std::string id = "h") {
    json j{{"v", 1}, {"type", "hello"}, {"id", id}, {"meeting_id", meeting_id_},
           {"display_name", name}};
    if (passcode) j["passcode"] = *passcode;
    if (host_key) j["host_key"] = *host_key;
    return j;
  }
  // Exactly one message, of `type`.
  json only(FakeConnection& c, const std::string& type) {
    auto msgs = c.take();
    EXPECT_EQ(msgs.size(), 1U) << json(msgs).dump();
    if (msgs.empty()) return {};
    EXPECT_EQ(msgs[0]["type"], type) << msgs[0].dump();
    EXPECT_EQ(msgs[0]["v"], 1);
    return msgs[0];
  }
  std::string error_code(FakeConnection& c) {
    json e = only(c, "error");
    return e.value("code", "");
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  FakeClock clock_;
  Config config_;
  std::unique_ptr<SignalingService> service_;
  std::string meeting_id_;
  std::string host_key_;
  uint64_t next_id_ = 1;
};

TEST_F(SignalingTest, HostJoinsGuestWaitsHostAdmits) {
  auto host = connect();
  send(*host, hello("Host", std::nullopt, host_key_, "h1"));
  json joined = only(*host, "joined");
  EXPECT_EQ(joined["in_reply_to"], "h1");
  EXPECT_EQ(joined["role"], "host");
  EXPECT_EQ(joined["meeting"]["meeting_id"], meeting_id_);
  EXPECT_TRUE(joined["participants"].empty());
  EXPECT_TRUE(joined["lobby"].empty());

  auto guest = connect("10.0.0.2");
  send(*guest, hello("Guest", "pass", std::nullopt, "g1"));
  json lobby = only(*guest, "lobby");
  EXPECT_EQ(lobby["in_reply_to"], "g1");
  std::string guest_id = lobby["participant_id"];
  json waiting = only(*host, "participant_waiting");
  EXPECT_EQ(waiting["participant"]["participant_id"], guest_id);
  EXPECT_EQ(waiting["participant"]["display_name"], "Guest");
  EXPECT_EQ(service_->lobby_size(meeting_id_), 1U);

  send(*host, {{"v", 1}, {"type", "admit"}, {"id", 5}, {"participant_id", guest_id}});
  auto to_host = host->take();
  ASSERT_EQ(to_host.size(), 3U);
  EXPECT_EQ(to_host[0]["type"], "lobby_left");
  EXPECT_EQ(to_host[0]["reason"], "admitted");
  EXPECT_EQ(to_host[1]["type"], "ack");
  EXPECT_EQ(to_host[1]["in_reply_to"], 5);
  EXPECT_EQ(to_host[2]["type"], "participant_joined");
  json admitted = only(*guest, "joined");
  EXPECT_EQ(admitted["role"], "participant");
  ASSERT_EQ(admitted["participants"].size(), 1U);
  EXPECT_EQ(admitted["participants"][0]["role"], "host");
  EXPECT_FALSE(admitted.contains("lobby"));
  EXPECT_EQ(service_->lobby_size(meeting_id_), 0U);
  EXPECT_EQ(service_->joined_count(meeting_id_), 2U);

  // The guest drops: the host is told.
  service_->on_websocket_close(*guest);
  json left = only(*host, "participant_left");
  EXPECT_EQ(left["participant_id"], guest_id);
  service_->on_websocket_close(*host);
  EXPECT_EQ(service_->active_meetings(), 0U);
}

TEST_F(SignalingTest, HostSeesWhoWaitedBeforeItJoined) {
  auto guest = connect();
  send(*guest, hello("Early", "pass"));
  only(*guest, "lobby");
  auto host = connect();
  send(*host, hello("Host", std::nullopt, host_key_));
  json joined = only(*host, "joined");
  ASSERT_EQ(joined["lobby"].size(), 1U);
  EXPECT_EQ(joined["lobby"][0]["display_name"], "Early");
}

TEST_F(SignalingTest, DenyClosesTheGuest) {
  auto host = connect();
  send(*host, hello("Host", std::nullopt, host_key_));
  host->take();
  auto guest = connect();
  send(*guest, hello("Guest", "pass"));
  std::string guest_id = only(*guest, "lobby")["participant_id"];
  host->take();
  send(*host, {{"v", 1}, {"type", "deny"}, {"id", "d"}, {"participant_id", guest_id}});
  only(*guest, "denied");
  EXPECT_TRUE(guest->closed);
  auto to_host = host->take();
  ASSERT_EQ(to_host.size(), 2U);
  EXPECT_EQ(to_host[0]["reason"], "denied");
  EXPECT_EQ(to_host[1]["type"], "ack");
  // The transport's close callback afterwards changes nothing more.
  service_->on_websocket_close(*guest);
  EXPECT_TRUE(host->take().empty());
  EXPECT_EQ(service_->lobby_size(meeting_id_), 0U);
}

TEST_F(SignalingTest, WaitingGuestDisconnectingIsReportedToHosts) {
  auto host = connect();
  send(*host, hello("Host", std::nullopt, host_key_));
  host->take();
  auto guest = connect();
  send(*guest, hello("Guest", "pass"));
  std::string guest_id = only(*guest, "lobby")["participant_id"];
  host->take();
  service_->on_websocket_close(*guest);
  json left = only(*host, "lobby_left");
  EXPECT_EQ(left["participant_id"], guest_id);
  EXPECT_EQ(left["reason"], "left");
}

TEST_F(SignalingTest, MalformedAndUnknownMessagesGetErrorsAndChangeNothing) {
  auto c = connect();
  send_text(*c, "{nope");
  EXPECT_EQ(error_code(*c), "malformed");
  send_text(*c, "{}", true);
  EXPECT_EQ(error_code(*c), "malformed");
  send_text(*c, std::string(3000, ' '));
  EXPECT_EQ(error_code(*c), "too_large");
  send(*c, {{"v", 2}, {"type", "hello"}, {"id", "x"}});
  EXPECT_EQ(error_code(*c), "unsupported_version");
  send(*c, {{"v", 1}, {"type", "dance"}, {"id", "x"}});
  json e = only(*c, "error");
  EXPECT_EQ(e["code"], "unknown_type");
  EXPECT_EQ(e["in_reply_to"], "x");
  // The delivery service's messages need a joined participant.
  for (const char* type : {"key_package", "commit", "proposal", "application", "group_info",
                           "remove", "catch_up"}) {
    send(*c, {{"v", 1}, {"type", type}, {"id", "r"}});
    EXPECT_EQ(error_code(*c), "out_of_order") << type;
  }
  send(*c, {{"v", 1}, {"type", "welcome"}, {"id", "w"}});
  EXPECT_EQ(error_code(*c), "unknown_type");
  send(*c, {{"v", 1}, {"type", "admit"}, {"id", "a"}, {"participant_id", "p1"}});
  EXPECT_EQ(error_code(*c), "out_of_order");
  send(*c, {{"v", 1}, {"type", "leave"}, {"id", "l"}});
  EXPECT_EQ(error_code(*c), "out_of_order");
  EXPECT_EQ(service_->active_meetings(), 0U);
  EXPECT_FALSE(c->closed);
  // And the connection still works.
  send(*c, {{"v", 1}, {"type", "ping"}, {"id", "p"}});
  EXPECT_EQ(only(*c, "pong")["in_reply_to"], "p");
}

TEST_F(SignalingTest, HelloFieldValidation) {
  auto c = connect();
  json h = hello("Guest", "pass");
  h.erase("meeting_id");
  send(*c, h);
  EXPECT_EQ(error_code(*c), "invalid_field");
  h = hello("", "pass");
  send(*c, h);
  EXPECT_EQ(error_code(*c), "invalid_field");
  send(*c, hello(std::string(65, 'n'), "pass"));
  EXPECT_EQ(error_code(*c), "invalid_field");
  send(*c, hello("bell\x07", "pass"));
  EXPECT_EQ(error_code(*c), "invalid_field");
  h = hello("Guest", "pass");
  h["passcode"] = 1234;
  send(*c, h);
  EXPECT_EQ(error_code(*c), "invalid_field");
  h = hello("Guest", std::nullopt);
  send(*c, h);
  EXPECT_EQ(error_code(*c), "passcode_required");
  EXPECT_EQ(service_->active_meetings(), 0U);
}

TEST_F(SignalingTest, HelloTwiceIsOutOfOrder) {
  auto c = connect();
  send(*c, hello("Guest", "pass"));
  only(*c, "lobby");
  send(*c, hello("Guest", "pass", std::nullopt, "again"));
  json e = only(*c, "error");
  EXPECT_EQ(e["code"], "out_of_order");
  EXPECT_EQ(e["in_reply_to"], "again");
  EXPECT_EQ(service_->lobby_size(meeting_id_), 1U);
}

TEST_F(SignalingTest, OnlyHostsAdmit) {
  auto host = connect();
  send(*host, hello("Host", std::nullopt, host_key_));
  host->take();
  store::NewMeeting open;
  // A participant joined without a waiting room cannot admit others.
  ASSERT_TRUE(store_->update_settings(*store::MeetingId::parse(meeting_id_), std::nullopt, false).ok());
  auto member = connect();
  send(*member, hello("Member", "pass"));
  EXPECT_EQ(only(*member, "joined")["role"], "participant");
  ASSERT_TRUE(store_->update_settings(*store::MeetingId::parse(meeting_id_), std::nullopt, true).ok());
  auto guest = connect();
  send(*guest, hello("Guest", "pass"));
  std::string guest_id = only(*guest, "lobby")["participant_id"];
  send(*member, {{"v", 1}, {"type", "admit"}, {"id", "a"}, {"participant_id", guest_id}});
  EXPECT_EQ(error_code(*member), "forbidden");
  EXPECT_EQ(service_->lobby_size(meeting_id_), 1U);
  host->take();
  send(*host, {{"v", 1}, {"type", "admit"}, {"id", "a"}, {"participant_id", "p999"}});
  EXPECT_EQ(error_code(*host), "unknown_participant");
  send(*host, {{"v", 1}, {"type", "admit"}, {"id", "a"}});
  EXPECT_EQ(error_code(*host), "invalid_field");
}

TEST_F(SignalingTest, LockedMeetingKeepsNewcomersOutButNotHosts) {
  auto waiting = connect();
  send(*waiting, hello("Waiting", "pass"));
  std::string waiting_id = only(*waiting, "lobby")["participant_id"];
  auto locked = store_->update_settings(*store::MeetingId::parse(meeting_id_), true, std::nullopt);
  ASSERT_TRUE(locked.ok());
  service_->on_meeting_updated(*locked);
  EXPECT_EQ(only(*waiting, "meeting_updated")["meeting"]["locked"], true);
  auto late = connect();
  send(*late, hello("Late", "pass"));
  EXPECT_EQ(error_code(*late), "meeting_locked");
  auto host = connect();
  send(*host, hello("Host", std::nullopt, host_key_));
  only(*host, "joined");
  send(*host, {{"v", 1}, {"type", "admit"}, {"id", "a"}, {"participant_id", waiting_id}});
  EXPECT_EQ(error_code(*host), "meeting_locked");
  EXPECT_EQ(service_->lobby_size(meeting_id_), 1U);
}

TEST_F(SignalingTest, WrongPasscodesAreRateLimitedPerAddress) {
  auto c = connect("192.0.2.7");
  for (int i = 0; i < 3; ++i) {
    send(*c, hello("Guest", "wrong"));
    EXPECT_EQ(error_code(*c), "bad_passcode");
  }
  // Even the right passcode is refused while the bucket is empty.
  send(*c, hello("Guest", "pass"));
  json e = only(*c, "error");
  EXPECT_EQ(e["code"], "rate_limited");
  EXPECT_GT(e["retry_after_ms"].get<int64_t>(), 0);
  // Another address is not affected.
  auto other = connect("192.0.2.8");
  send(*other, hello("Other", "pass"));
  only(*other, "lobby");
  // After a minute one attempt is back.
  clock_.advance(60s);
  send(*c, hello("Guest", "pass"));
  only(*c, "lobby");
}

TEST_F(SignalingTest, WrongAttemptsAreRateLimitedPerMeetingAcrossAddresses) {
  for (int i = 0; i < 5; ++i) {
    auto c = connect("198.51.100." + std::to_string(i));
    send(*c, hello("Guest", std::nullopt, "not-the-host-key"));
    EXPECT_EQ(error_code(*c), "bad_host_key");
  }
  auto fresh = connect("198.51.100.200");
  send(*fresh, hello("Guest", "pass"));
  EXPECT_EQ(error_code(*fresh), "rate_limited");
}

TEST_F(SignalingTest, UnknownMeetingsChargeTheAddress) {
  auto c = connect("203.0.113.9");
  for (int i = 0; i < 3; ++i) {
    json h = hello("Guest", "pass");
    h["meeting_id"] = store::MeetingId::generate().str();
    send(*c, h);
    EXPECT_EQ(error_code(*c), "not_found");
  }
  json h = hello("Guest", "pass");
  h["meeting_id"] = "not-even-an-id";
  send(*c, h);
  EXPECT_EQ(error_code(*c), "rate_limited");
}

TEST_F(SignalingTest, LeaveAcksAndCloses) {
  auto host = connect();
  send(*host, hello("Host", std::nullopt, host_key_));
  host->take();
  ASSERT_TRUE(store_->update_settings(*store::MeetingId::parse(meeting_id_), std::nullopt, false).ok());
  auto member = connect();
  send(*member, hello("Member", "pass"));
  std::string member_id = only(*member, "joined")["participant_id"];
  only(*host, "participant_joined");
  send(*member, {{"v", 1}, {"type", "leave"}, {"id", "bye"}});
  EXPECT_EQ(only(*member, "ack")["in_reply_to"], "bye");
  EXPECT_TRUE(member->closed);
  EXPECT_EQ(only(*host, "participant_left")["participant_id"], member_id);
  service_->on_websocket_close(*member);
  EXPECT_TRUE(host->take().empty());
  EXPECT_EQ(service_->joined_count(meeting_id_), 1U);
}

TEST_F(SignalingTest, MeetingFull) {
  config_.max_participants = 1;
  auto host = connect();
  send(*host, hello("Host", std::nullopt, host_key_));
  only(*host, "joined");
  auto guest = connect();
  send(*guest, hello("Guest", "pass"));
  EXPECT_EQ(error_code(*guest), "meeting_full");
}

}  // namespace
}  // namespace conclave::server
