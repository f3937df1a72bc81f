#include "conclave/store/meeting_id.h"

#include <gtest/gtest.h>

#include <set>

namespace conclave::store {
namespace {

TEST(MeetingId, GeneratedIdsHave120BitsOfBase32) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    MeetingId id = MeetingId::generate();
    ASSERT_EQ(id.str().size(), MeetingId::kTextLength);
    for (char c : id.str()) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7')) << id.str();
    }
    EXPECT_TRUE(seen.insert(id.str()).second) << "duplicate " << id.str();
    // A generated ID parses back to itself.
    auto parsed = MeetingId::parse(id.str());
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, id);
  }
  static_assert(MeetingId::kRandomBytes * 8 >= 96);
}

TEST(MeetingId, EveryCharacterPositionVaries) {
  // 120 bits over 24 characters: 5 bits each, so every position must take
  // several values over many IDs (a constant position would mean lost bits).
  std::array<std::set<char>, MeetingId::kTextLength> per_position;
  for (int i = 0; i < 300; ++i) {
    std::string s = MeetingId::generate().str();
    for (size_t p = 0; p < s.size(); ++p) per_position[p].insert(s[p]);
  }
  for (size_t p = 0; p < per_position.size(); ++p) {
    EXPECT_GT(per_position[p].size(), 8U) << "position " << p;
  }
}

TEST(MeetingId, ParseIsCaseInsensitive) {
  auto id = MeetingId::parse("ABCDEFGHIJKLMNOPQRSTUVWX");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->str(), "abcdefghijklmnopqrstuvwx");
}

TEST(MeetingId, ParseRejectsMalformedText) {
  for (std::string_view bad :
       {"", "abc", "abcdefghijklmnopqrstuvw", "abcdefghijklmnopqrstuvwxy",
        "abcdefghijklmnopqrstuvw1", "abcdefghijklmnopqrstuvw8", "abcdefghijklmnopqrstuv'x",
        "abcdefghijklmnopqrstuv x", "../../etc/passwd/abcdefg"}) {
    auto r = MeetingId::parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_TRUE(r.error().is(Errc::invalid_argument));
    }
  }
}

}  // namespace
}  // namespace conclave::store
