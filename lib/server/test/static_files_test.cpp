#include "conclave/server/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace conclave::server {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("conclave_static_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::create_directories(base_ / "root" / "img");
    write(base_ / "root" / "index.html", "<!doctype html>index");
    write(base_ / "root" / "conclave-web.js", "export {};");
    write(base_ / "root" / "style.css", "body{}");
    write(base_ / "root" / "img" / "logo.svg", "<svg/>");
    write(base_ / "root" / ".secret.js", "hidden");
    write(base_ / "outside.js", "outside");
    write(base_ / "root" / "notes.exe", "binary");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void write(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }

  net::HttpResponse get(const std::string& target, const std::string& method = "GET") {
    net::HttpRequest r;
    r.method = method;
    r.target = target;
    return StaticFiles(base_ / "root").handle(r);
  }

  fs::path base_;
};

TEST_F(StaticFilesTest, ServesIndexForRootAndJoinLinks) {
  for (const char* target : {"/", "/j/abc123", "/j/Ab-9_x?x=1", "/?name=x"}) {
    auto r = get(target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body, "<!doctype html>index") << target;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << target;
    EXPECT_EQ(r.header("Cache-Control"), "no-store") << target;
  }
}

TEST_F(StaticFilesTest, ServesFilesWithTheirTypes) {
  auto js = get("/conclave-web.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "export {};");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.header("Cache-Control"), "no-cache");
  auto css = get("/style.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  auto svg = get("/img/logo.svg");
  EXPECT_EQ(svg.status, 200);
  EXPECT_EQ(svg.content_type, "image/svg+xml");
  auto encoded = get("/style%2ecss");
  EXPECT_EQ(encoded.status, 200);
  EXPECT_EQ(encoded.body, "body{}");
}

TEST_F(StaticFilesTest, SecurityHeadersOnEveryResponse) {
  for (const char* target : {"/", "/style.css", "/missing.js", "/../x"}) {
    auto r = get(target);
    EXPECT_EQ(r.header("Content-Security-Policy"), StaticFiles::kContentSecurityPolicy) << target;
    EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer") << target;
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff") << target;
  }
  std::string_view csp = StaticFiles::kContentSecurityPolicy;
  EXPECT_NE(csp.find("script-src 'self';"), std::string_view::npos);
  EXPECT_NE(csp.find("worker-src 'self';"), std::string_view::npos);
  EXPECT_EQ(csp.find("unsafe"), std::string_view::npos);
}

TEST_F(StaticFilesTest, RefusesHostilePaths) {
  const std::string hostile[] = {
      "/../outside.js",
      "/img/../../outside.js",
      "/%2e%2e/outside.js",
      "/%2E%2E/outside.js",
      "/img/%2e%2e/%2e%2e/outside.js",
      "/%2e%2e%2foutside.js",
      "/..%2foutside.js",
      "/..%5coutside.js",
      "/img\\..\\..\\outside.js",
      "/.secret.js",
      "/img/./logo.svg",
      "//etc/passwd",
      "/style.css%00.js",
      std::string("/style.css\0.js", 14),
      "/%252e%252e/outside.js",
      "/%",
      "/%2",
      "/%zz",
      "/notes.exe",
      "/img",
      "/img/",
      "/j/",
      "/j/../outside.js",
      "/j/%2e%2e",
      "/j/a/b",
      "/j/" + std::string(65, 'a'),
      "/" + std::string(300, 'a') + ".js",
      "relative.js",
      "",
      "/missing.js",
  };
  for (const auto& target : hostile) {
    auto r = get(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.body.find("outside"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("hidden"), std::string::npos) << target;
  }
}

TEST_F(StaticFilesTest, RefusesSymlinksOutOfTheRoot) {
  std::error_code ec;
  fs::create_symlink(base_ / "outside.js", base_ / "root" / "link.js", ec);
  ASSERT_FALSE(ec);
  auto r = get("/link.js");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body.find("outside"), std::string::npos);
}

TEST_F(StaticFilesTest, MethodsAndMissingRoot) {
  EXPECT_EQ(get("/", "POST").status, 405);
  auto head = get("/style.css", "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  net::HttpRequest r;
  r.method = "GET";
  r.target = "/";
  EXPECT_EQ(StaticFiles(base_ / "nowhere").handle(r).status, 404);
}

TEST(StaticFilesPath, FileForPath) {
  EXPECT_EQ(StaticFiles::file_for_path("/"), "index.html");
  EXPECT_EQ(StaticFiles::file_for_path("/j/x1"), "index.html");
  EXPECT_EQ(StaticFiles::file_for_path("/a/b.js"), "a/b.js");
  EXPECT_EQ(StaticFiles::file_for_path("/a//b.js"), std::nullopt);
  EXPECT_EQ(StaticFiles::file_for_path("/a/b.js/"), std::nullopt);
  EXPECT_EQ(StaticFiles::content_type(".js"), std::nullopt);
  EXPECT_EQ(StaticFiles::content_type("x.mjs"), "text/javascript; charset=utf-8");
}

}  // namespace
}  // namespace conclave::server
