#include "conclave/server/rest_api.h"

#include <gtest/gtest.h>

#include "fake_connection.h"
#include "test_env.h"

namespace conclave::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class RestApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::open_test_store(dir_.path());
    ASSERT_NE(store_, nullptr);
    config_.create_per_address = {3, 1};
    config_.auth_per_address = {3, 1};
    signaling_ = std::make_unique<SignalingService>(*store_, clock_, config_);
    api_ = std::make_unique<RestApi>(*store_, *signaling_, clock_, config_, "https://h:1");
  }
  net::HttpResponse call(std::string method, std::string target, std::string body = {},
                         net::HttpHeaders headers = {}, std::string address = "10.1.1.1") {
    net::HttpRequest r{std::move(method), std::move(target), std::move(headers), std::move(body),
                       std::move(address)};
    return api_->handle(r);
  }
  static json body(const net::HttpResponse& r) { return json::parse(r.body); }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  FakeClock clock_;
  Config config_;
  std::unique_ptr<SignalingService> signaling_;
  std::unique_ptr<RestApi> api_;
};

TEST_F(RestApiTest, CreateThenGetSettings) {
  // A passcode that cannot occur by chance in the answer (meeting IDs are
  // lowercase base32: a short one like "pw" sometimes did).
  auto res = call("POST", "/api/v1/meetings",
                  R"({"passcode":"Secret-Passcode-1","waiting_room":false})");
  ASSERT_EQ(res.status, 201) << res.body;
  json j = body(res);
  std::string id = j["meeting_id"];
  EXPECT_TRUE(store::MeetingId::parse(id).ok());
  EXPECT_EQ(j["join_link"], "https://h:1/j/" + id);
  EXPECT_EQ(j["host_key"].get<std::string>().size(), 43U);
  EXPECT_EQ(res.header("location"), "/api/v1/meetings/" + id);

  auto got = call("GET", "/api/v1/meetings/" + id);
  ASSERT_EQ(got.status, 200);
  json s = body(got);
  EXPECT_EQ(s["passcode_required"], true);
  EXPECT_EQ(s["waiting_room"], false);
  EXPECT_EQ(s["locked"], false);
  EXPECT_FALSE(s.contains("host_key"));
  EXPECT_EQ(got.body.find("Secret-Passcode-1"), std::string::npos);

  auto plain = call("POST", "/api/v1/meetings", "");
  ASSERT_EQ(plain.status, 201);
  EXPECT_EQ(body(call("GET", "/api/v1/meetings/" + body(plain)["meeting_id"].get<std::string>()))
                ["waiting_room"],
            true);
}

TEST_F(RestApiTest, BadCreateBodies) {
  // Every attempt counts against the creation budget, so each comes from
  // its own address here.
  int n = 0;
  for (const char* bad : {"nope", "[1]", R"({"passcode":5})", R"({"waiting_room":"yes"})"}) {
    auto r = call("POST", "/api/v1/meetings", bad, {}, "10.3.3." + std::to_string(++n));
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_TRUE(body(r)["error"]["code"].is_string());
  }
  auto too_long = call("POST", "/api/v1/meetings", json{{"passcode", std::string(129, 'p')}}.dump(),
                       {}, "10.3.4.1");
  EXPECT_EQ(too_long.status, 400);
}

TEST_F(RestApiTest, CreateIsRateLimitedPerAddress) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(call("POST", "/api/v1/meetings").status, 201);
  auto limited = call("POST", "/api/v1/meetings");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.header("retry-after"), "60");
  EXPECT_EQ(call("POST", "/api/v1/meetings", "", {}, "10.9.9.9").status, 201);
  clock_.advance(60s);
  EXPECT_EQ(call("POST", "/api/v1/meetings").status, 201);
}

TEST_F(RestApiTest, LookupsOfUnknownMeetingsAreLimited) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(call("GET", "/api/v1/meetings/" + store::MeetingId::generate().str()).status, 404);
  }
  EXPECT_EQ(call("GET", "/api/v1/meetings/whatever").status, 429);
}

TEST_F(RestApiTest, PatchLockNeedsTheHostKeyAndNotifiesSignaling) {
  json created = body(call("POST", "/api/v1/meetings", R"({"waiting_room":true})"));
  std::string id = created["meeting_id"];
  std::string key = created["host_key"];
  // Someone waiting in the lobby hears about the lock.
  auto waiting = std::make_shared<testing::FakeConnection>(1, "10.2.2.2");
  signaling_->on_websocket_open(waiting);
  json hello{{"v", 1}, {"type", "hello"}, {"id", 1}, {"meeting_id", id}, {"display_name", "W"}};
  std::string text = hello.dump();
  signaling_->on_websocket_message(*waiting, {text, false});
  ASSERT_EQ(waiting->take().size(), 1U);

  std::string target = "/api/v1/meetings/" + id;
  EXPECT_EQ(call("PATCH", target, R"({"locked":true})").status, 401);
  EXPECT_EQ(call("PATCH", target, R"({"locked":true})", {{"Authorization", "Bearer nope"}}).status,
            403);
  EXPECT_FALSE(body(call("GET", target))["locked"].get<bool>());
  auto bad = call("PATCH", target, R"({"locked":"yes"})", {{"Authorization", "Bearer " + key}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(call("PATCH", target, R"({"host_key":"x"})", {{"Authorization", "Bearer " + key}}).status,
            400);
  auto ok = call("PATCH", target, R"({"locked":true})", {{"Authorization", "Bearer " + key}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(body(ok)["locked"].get<bool>());
  EXPECT_TRUE(body(call("GET", target))["locked"].get<bool>());
  auto note = waiting->take();
  ASSERT_EQ(note.size(), 1U);
  EXPECT_EQ(note[0]["type"], "meeting_updated");
  EXPECT_EQ(note[0]["meeting"]["locked"], true);
  // Two wrong keys were charged; the third failure exhausts the budget.
  EXPECT_EQ(call("PATCH", target, R"({"locked":false})", {{"Authorization", "Bearer x"}}).status,
            403);
  EXPECT_EQ(call("PATCH", target, R"({"locked":false})", {{"Authorization", "Bearer " + key}}).status,
            429);
}

TEST_F(RestApiTest, RoutingErrors) {
  EXPECT_EQ(call("GET", "/api/v1/health").status, 200);
  EXPECT_EQ(call("GET", "/").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/meetings").status, 405);
  auto del = call("DELETE", "/api/v1/meetings/abc");
  EXPECT_EQ(del.status, 405);
  EXPECT_EQ(del.header("allow"), "GET, PATCH");
}

}  // namespace
}  // namespace conclave::server
