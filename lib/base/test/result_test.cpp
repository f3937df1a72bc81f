#include "conclave/base/result.h"

#include <gtest/gtest.h>

#include <string>

namespace conclave {
namespace {

enum class TestErrc { first = 1, second };
std::string_view error_domain(TestErrc) { return "test"; }
std::string_view error_message(TestErrc e) {
  return e == TestErrc::first ? "first failure" : "second failure";
}

enum class OtherErrc { first = 1 };
std::string_view error_domain(OtherErrc) { return "other"; }
std::string_view error_message(OtherErrc) { return "other failure"; }

Result<int> parse_positive(int v) {
  if (v <= 0) return Error(TestErrc::second, "v");
  return v * 2;
}

Result<int> add_parsed(int a, int b) {
  CV_TRY(int x, parse_positive(a));
  CV_TRY(int y, parse_positive(b));
  return x + y;
}

Status check_both(int a, int b) {
  CV_TRY_STATUS(add_parsed(a, b).ok() ? Status{} : Status{TestErrc::first});
  return {};
}

TEST(Result, CarriesValue) {
  Result<int> r = 7;
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 7);
}

TEST(Result, CarriesErrorWithDomainMessageAndDetail) {
  Result<int> r = parse_positive(-1);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(TestErrc::second));
  EXPECT_FALSE(r.error().is(TestErrc::first));
  EXPECT_EQ(r.error().domain(), "test");
  EXPECT_EQ(r.error().to_string(), "test: second failure (v)");
}

TEST(Result, SameCodeInAnotherDomainIsNotEqual) {
  Error e(TestErrc::first);
  Error other(OtherErrc::first);
  EXPECT_TRUE(e.is(TestErrc::first));
  EXPECT_FALSE(e.is(OtherErrc::first));
  EXPECT_TRUE(other.is(OtherErrc::first));
  EXPECT_EQ(other.message(), "other failure");
}

TEST(Result, TryPropagatesFirstError) {
  EXPECT_EQ(*add_parsed(2, 3), 10);
  auto r = add_parsed(2, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(TestErrc::second));
}

TEST(Result, StatusPropagates) {
  EXPECT_TRUE(check_both(1, 1).ok());
  auto s = check_both(1, -1);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(TestErrc::first));
}

TEST(Result, MoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 5);
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  Result<int> r = Error(TestErrc::first);
  EXPECT_DEATH((void)r.value(), "CV_CHECK failed");
}

}  // namespace
}  // namespace conclave
