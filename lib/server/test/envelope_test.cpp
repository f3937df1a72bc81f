#include "conclave/server/envelope.h"

#include <gtest/gtest.h>

namespace conclave::server {
namespace {

ProtocolError failure_of(std::string_view text, size_t max = 1000) {
  auto p = Envelope::parse(text, max);
  EXPECT_FALSE(p.envelope.has_value()) << text;
  return p.failure ? p.failure->error : ProtocolError::internal;
}

TEST(Envelope, ParsesAValidMessage) {
  auto p = Envelope::parse(R"({"v":1,"type":"hello","id":"a1","meeting_id":"x"})", 1000);
  ASSERT_TRUE(p.envelope.has_value());
  EXPECT_EQ(p.envelope->type, "hello");
  EXPECT_EQ(p.envelope->id, "a1");
  bool ok = false;
  EXPECT_EQ(p.envelope->string_field("meeting_id", 1, 10, ok), "x");
  EXPECT_TRUE(ok);
  EXPECT_FALSE(p.envelope->string_field("absent", 1, 10, ok).has_value());
  EXPECT_TRUE(ok);
  EXPECT_FALSE(p.envelope->string_field("meeting_id", 2, 10, ok).has_value());
  EXPECT_FALSE(ok);
  auto numeric = Envelope::parse(R"({"v":1,"type":"ping","id":7})", 1000);
  ASSERT_TRUE(numeric.envelope.has_value());
  EXPECT_EQ(numeric.envelope->id, 7);
}

TEST(Envelope, RejectsEachBrokenEnvelopeWithItsCode) {
  EXPECT_EQ(failure_of("{"), ProtocolError::malformed);
  EXPECT_EQ(failure_of("[1,2]"), ProtocolError::malformed);
  EXPECT_EQ(failure_of("\"hello\""), ProtocolError::malformed);
  EXPECT_EQ(failure_of(std::string(20, '[') + std::string(20, ']')), ProtocolError::malformed);
  EXPECT_EQ(failure_of(R"({"v":1,"type":"ping","id":"x","pad":")" + std::string(2000, 'a') + "\"}"),
            ProtocolError::too_large);
  EXPECT_EQ(failure_of(R"({"v":2,"type":"ping","id":"x"})"), ProtocolError::unsupported_version);
  EXPECT_EQ(failure_of(R"({"type":"ping","id":"x"})"), ProtocolError::invalid_field);
  EXPECT_EQ(failure_of(R"({"v":"1","type":"ping","id":"x"})"), ProtocolError::invalid_field);
  EXPECT_EQ(failure_of(R"({"v":1,"id":"x"})"), ProtocolError::invalid_field);
  EXPECT_EQ(failure_of(R"({"v":1,"type":5,"id":"x"})"), ProtocolError::invalid_field);
  EXPECT_EQ(failure_of(R"({"v":1,"type":"ping"})"), ProtocolError::invalid_field);
  EXPECT_EQ(failure_of(R"({"v":1,"type":"ping","id":-1})"), ProtocolError::invalid_field);
  EXPECT_EQ(failure_of(R"({"v":1,"type":"ping","id":""})"), ProtocolError::invalid_field);
  EXPECT_EQ(failure_of(R"({"v":1,"type":"ping","id":{}})"), ProtocolError::invalid_field);
  EXPECT_EQ(failure_of(R"({"v":1,"type":"ping","id":")" + std::string(65, 'a') + "\"}"),
            ProtocolError::invalid_field);
}

TEST(Envelope, DeepNestingInsideStringsIsFine) {
  auto p = Envelope::parse(R"({"v":1,"type":"ping","id":"x","s":")" + std::string(100, '[') + "\"}",
                           1000);
  EXPECT_TRUE(p.envelope.has_value());
}

TEST(Envelope, FailureKeepsTheIdWhenReadable) {
  auto p = Envelope::parse(R"({"v":9,"type":"ping","id":"abc"})", 1000);
  ASSERT_TRUE(p.failure.has_value());
  EXPECT_EQ(p.failure->in_reply_to, "abc");
}

TEST(Envelope, ServerMessagesCarryVersionTypeAndId) {
  auto m = make_message("pong");
  EXPECT_EQ(m["v"], 1);
  EXPECT_EQ(m["type"], "pong");
  EXPECT_TRUE(m["id"].is_string());
  EXPECT_NE(make_message("pong")["id"], m["id"]);
  auto e = make_error(ProtocolError::forbidden, "q");
  EXPECT_EQ(e["type"], "error");
  EXPECT_EQ(e["code"], "forbidden");
  EXPECT_EQ(e["in_reply_to"], "q");
  EXPECT_FALSE(e["message"].get<std::string>().empty());
}

TEST(ProtocolError, CodeNamesAreDistinct) {
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(ProtocolError::internal); ++i) {
    EXPECT_TRUE(names.insert(code_name(static_cast<ProtocolError>(i))).second) << i;
  }
}

}  // namespace
}  // namespace conclave::server
