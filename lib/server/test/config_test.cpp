#include "conclave/server/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace conclave::server {
namespace {

TEST(Config, EmbeddedDefaults) {
  Config c;
  EXPECT_EQ(c.data_dir, "conclave-data");
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8443);
  EXPECT_EQ(c.log_level, "info");
  EXPECT_EQ(c.effective_certificate_file(), std::filesystem::path("conclave-data/tls/cert.pem"));
  EXPECT_EQ(c.effective_private_key_file(), std::filesystem::path("conclave-data/tls/key.pem"));
  EXPECT_EQ(c.database_file(), std::filesystem::path("conclave-data/conclave.db"));
  EXPECT_EQ(c.reconnect_grace_ms, 10000U);
  EXPECT_EQ(c.messages_per_second, 50U);
  EXPECT_EQ(c.messages_burst, 200U);
  EXPECT_TRUE(c.hostile.empty());
}

TEST(Config, TomlOverridesEveryKey) {
  Config c;
  auto s = c.apply_toml(R"(
    data_dir = "/var/lib/conclave"
    listen = "[::1]:9443"
    public_url = "https://meet.example/"
    log_level = "debug"
    reconnect_grace_ms = 2500
    [tls]
    certificate = "/etc/c/cert.pem"
    private_key = "/etc/c/key.pem"
    [limits]
    max_message_bytes = 2048
    max_send_queue = 64
    max_connections = 50
    max_participants = 7
    [rate_limit]
    auth_address_burst = 2
    auth_address_per_minute = 3
    auth_meeting_burst = 4
    auth_meeting_per_minute = 5
    create_address_burst = 6
    create_address_per_minute = 7
    messages_per_second = 8
    messages_burst = 9
  )");
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  EXPECT_EQ(c.data_dir, "/var/lib/conclave");
  EXPECT_EQ(c.listen_host, "::1");
  EXPECT_EQ(c.listen_port, 9443);
  EXPECT_EQ(c.public_url, "https://meet.example");
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.effective_certificate_file(), "/etc/c/cert.pem");
  EXPECT_EQ(c.effective_private_key_file(), "/etc/c/key.pem");
  EXPECT_EQ(c.max_message_bytes, 2048U);
  EXPECT_EQ(c.max_send_queue, 64U);
  EXPECT_EQ(c.max_connections, 50U);
  EXPECT_EQ(c.max_participants, 7U);
  EXPECT_EQ(c.auth_per_address.burst, 2U);
  EXPECT_EQ(c.auth_per_address.per_minute, 3U);
  EXPECT_EQ(c.auth_per_meeting.burst, 4U);
  EXPECT_EQ(c.auth_per_meeting.per_minute, 5U);
  EXPECT_EQ(c.reconnect_grace_ms, 2500U);
  EXPECT_EQ(c.messages_per_second, 8U);
  EXPECT_EQ(c.messages_burst, 9U);
  EXPECT_EQ(c.create_per_address.burst, 6U);
  EXPECT_EQ(c.create_per_address.per_minute, 7U);
}

TEST(Config, BadValuesAreErrorsAndChangeNothing) {
  for (const char* bad : {"listen = \"127.0.0.1\"", "listen = \"127.0.0.1:70000\"",
                          "listen = 8443", "log_level = \"loud\"", "typo_key = 1",
                          "public_url = \"http://x\"", "[limits]\nmax_message_bytes = -1",
                          "[limits]\nmax_message_bytes = \"big\"", "[limits]\nunknown = 1",
                          "[tls]\ncertificate = \"\"", "data_dir = \"\"", "this is not toml",
                          "data_dir = \"/x\"\nlog_level = \"loud\"",
                          "reconnect_grace_ms = -1", "reconnect_grace_ms = \"10s\"",
                          "[rate_limit]\nmessages_per_second = 0", "hostile = [\"fork\"]"}) {
    Config c;
    auto s = c.apply_toml(bad);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_EQ(c.data_dir, "conclave-data") << bad;
    EXPECT_EQ(c.listen_port, 8443) << bad;
  }
}

TEST(Config, ListenForms) {
  Config c;
  ASSERT_TRUE(c.set_listen("127.0.0.1:0").ok());
  EXPECT_EQ(c.listen_port, 0);
  ASSERT_TRUE(c.set_listen("localhost:8000").ok());
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8000);
  ASSERT_TRUE(c.set_listen("[::1]:1").ok());
  EXPECT_EQ(c.listen_host, "::1");
  for (const char* bad : {"", ":80", "host:", "::1:80", "[::1]", "[::1]80", "h:-1", "h:1x"}) {
    EXPECT_FALSE(c.set_listen(bad).ok()) << bad;
  }
}

TEST(Config, FileMissingIsAnError) {
  Config c;
  auto s = c.apply_toml_file("/nonexistent/conclave.toml");
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.error().is(Errc::config_file));
  auto path = std::filesystem::temp_directory_path() / "conclave-config-test.toml";
  std::ofstream(path) << "log_level = \"warn\"\n";
  ASSERT_TRUE(c.apply_toml_file(path).ok());
  EXPECT_EQ(c.log_level, "warn");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace conclave::server

namespace conclave::server {
namespace {

TEST(Config, WebRoot) {
  Config c;
  EXPECT_TRUE(c.web_root.empty());
  ASSERT_TRUE(c.apply_toml("[web]\nroot = \"/srv/conclave/web\"\n").ok());
  EXPECT_EQ(c.web_root, "/srv/conclave/web");
  Config d;
  EXPECT_FALSE(d.apply_toml("[web]\nroot = \"\"\n").ok());
  EXPECT_FALSE(d.apply_toml("[web]\nroot = 3\n").ok());
  EXPECT_FALSE(d.apply_toml("[web]\nother = \"x\"\n").ok());
  EXPECT_TRUE(d.web_root.empty());
}

}  // namespace
}  // namespace conclave::server
