// conclave: the command-line program.
//
//   conclave server [--config F] [--listen ADDR:PORT] [--data-dir D] [--log-level L]
//                   [--reconnect-grace-ms MS] [--media-port P] [--test-hostile MODE]...
//                   [--web-root DIR] [--test-media-capture FILE] [--test-media-loss FRACTION]
//       Runs the server (docs/operations.md). --test-hostile (test-only
//       misbehaviour, docs/protocol.md) is refused unless the environment
//       has CONCLAVE_TEST_HOSTILE=1. Prints one line on stdout when
//       ready: "conclave: ready at https://... (certificate sha256 AB:...)".
//       Logs go to stderr. SIGINT/SIGTERM shut it down cleanly (exit 0).
//
//   conclave meeting create [--server URL] [--passcode P] [--no-waiting-room]
//                           [--fingerprint SHA256] [--data-dir D]
//       Creates a meeting over the REST API and prints one JSON object
//       {meeting_id, join_link, host_key}. The server's certificate is
//       pinned: by --fingerprint, or read from the data dir's certificate
//       (default ./conclave-data) when --server is the default local server
//       or --data-dir is given. Verification is never turned off.
//
//   conclave join LINK --name NAME [--passcode P] [--host-key K]
//                 [--admit all|none] [--say TEXT]... [--for SECONDS] [--json]
//                 [--fingerprint SHA256 | --data-dir D]
//                 [--publish test|FILE.y4m|FILE.wav[,FILE]] [--record DIR]
//                 [--tone-hz HZ] [--video-size WxH] [--video-kbps K] [--no-subscribe]
//                 [--test-external-subscriber CMD]
//       Joins the meeting of a join link (https://host:port/j/<meeting_id>)
//       as an MLS member (docs/client.md): prints one line per event (one
//       JSON object per line with --json), sends the --say texts once in,
//       leaves after --for seconds or on SIGINT/SIGTERM. With --publish
//       (test: the moving test pattern and a tone) and/or --record (one
//       Y4M or WAV file per received track), audio and video go through
//       the server's SFU, every frame SFrame-encrypted with the epoch's key. Exit 0 after a
//       clean leave, 3 when removed or denied, 1 on errors, 2 on bad flags.
//       --test-external-subscriber (test-only, needs CONCLAVE_TEST_HOSTILE=1)
//       lets the command CMD (run by /bin/sh -c) hold the subscribe
//       transport: it answers the SFU's offers and hands back the RTP it
//       receives (interop/werift/subscriber.mjs; docs/client.md).
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "conclave/client/client.h"
#include "conclave/net/https_client.h"
#include "conclave/server/server.h"
#include "load.h"

namespace {

using namespace conclave;

constexpr const char* kDefaultServer = "https://127.0.0.1:8443";

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("conclave");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
}

struct ServerFlags {
  std::string config_file;
  std::string listen;
  std::string data_dir;
  std::string log_level;
  std::optional<uint32_t> reconnect_grace_ms;
  std::vector<std::string> hostile;
  std::string test_media_capture;
  double test_media_loss = 0;
  std::optional<int32_t> media_port;
  std::string web_root;
};

// The browser client's files when neither --web-root nor [web] root names
// them: <prefix>/share/conclave/web beside an installed binary, else the
// web/dist folder of the source tree the binary was built in (build/bin/..).
std::filesystem::path default_web_root() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  std::filesystem::path dir = exe.parent_path();
  if (std::filesystem::exists(dir.parent_path() / "share/conclave/web/index.html", ec)) {
    return dir.parent_path() / "share/conclave/web";
  }
  for (int up = 0; up < 4 && !dir.empty(); ++up, dir = dir.parent_path()) {
    if (std::filesystem::exists(dir / "web/dist/index.html", ec)) return dir / "web/dist";
    if (dir == dir.parent_path()) break;
  }
  return {};
}

// Test-only flags work only with CONCLAVE_TEST_HOSTILE=1 in the environment.
bool test_flags_allowed(const char* flag) {
  const char* allowed = std::getenv("CONCLAVE_TEST_HOSTILE");
  if (allowed != nullptr && std::string_view(allowed) == "1") return true;
  std::fprintf(stderr, "conclave: %s is for tests only and needs CONCLAVE_TEST_HOSTILE=1 in the "
                       "environment\n", flag);
  return false;
}

int run_server(const ServerFlags& flags) {
  server::Config config;
  if (!flags.config_file.empty()) {
    if (auto s = config.apply_toml_file(flags.config_file); !s.ok()) {
      std::fprintf(stderr, "conclave: config %s: %s\n", flags.config_file.c_str(),
                   s.error().to_string().c_str());
      return 2;
    }
  }
  if (!flags.listen.empty()) {
    if (auto s = config.set_listen(flags.listen); !s.ok()) {
      std::fprintf(stderr, "conclave: --listen %s: %s\n", flags.listen.c_str(),
                   s.error().to_string().c_str());
      return 2;
    }
  }
  if (!flags.data_dir.empty()) config.data_dir = flags.data_dir;
  if (!flags.log_level.empty()) {
    if (auto s = config.set_log_level(flags.log_level); !s.ok()) {
      std::fprintf(stderr, "conclave: --log-level %s: %s\n", flags.log_level.c_str(),
                   s.error().to_string().c_str());
      return 2;
    }
  }
  if (flags.reconnect_grace_ms) config.reconnect_grace_ms = *flags.reconnect_grace_ms;
  if (flags.media_port) config.media_port = *flags.media_port;
  if (!flags.web_root.empty()) config.web_root = flags.web_root;
  if (config.web_root.empty()) config.web_root = default_web_root();
  if (!flags.test_media_capture.empty()) {
    if (!test_flags_allowed("--test-media-capture")) return 2;
    config.test_media_capture = flags.test_media_capture;
  }
  if (flags.test_media_loss > 0) {
    if (!test_flags_allowed("--test-media-loss")) return 2;
    config.test_media_loss = flags.test_media_loss;
  }
  if (!flags.hostile.empty()) {
    if (!test_flags_allowed("--test-hostile")) return 2;
    for (const auto& name : flags.hostile) {
      auto mode = server::parse_hostile_mode(name);
      if (!mode) {
        std::fprintf(stderr, "conclave: --test-hostile %s: unknown mode\n", name.c_str());
        return 2;
      }
      config.hostile.insert(*mode);
    }
  }
  setup_logging(config.log_level);

  // SIGINT and SIGTERM are taken synchronously by this thread (sigwait);
  // every thread started below inherits the blocked mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  SteadyClock clock;
  auto srv = server::Server::create(config, clock);
  if (!srv.ok()) {
    spdlog::critical("cannot start: {}", srv.error().to_string());
    return 1;
  }
  server::Server& s = **srv;
  if (s.created_certificate()) {
    spdlog::info("created a self-signed certificate in {}",
                 config.effective_certificate_file().parent_path().string());
  }
  spdlog::info("data dir {}, listening on {}", config.data_dir.string(), s.url());
  std::printf("conclave: ready at %s (certificate sha256 %s)\n", s.url().c_str(),
              s.fingerprint().str().c_str());
  std::fflush(stdout);

  pthread_t main_thread = pthread_self();
  std::thread loop([&] {
    s.run();
    // The loop ended on its own (or after stop): wake the main thread.
    pthread_kill(main_thread, SIGUSR1);
  });
  int sig = 0;
  sigwait(&signals, &sig);
  if (sig != SIGUSR1) {
    spdlog::info("{} received, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
    s.stop();
  }
  loop.join();
  spdlog::info("stopped");
  return 0;
}

struct CreateFlags {
  std::string server;
  std::string passcode;
  bool no_waiting_room = false;
  std::string fingerprint;
  std::string data_dir;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The server certificate's pin: --fingerprint, or the fingerprint of the
// certificate in a server data dir (--data-dir, default ./conclave-data).
// Verification is never turned off. Prints why on failure.
std::optional<net::Fingerprint> resolve_pin(const std::string& fingerprint,
                                            const std::string& data_dir) {
  if (!fingerprint.empty()) {
    auto fp = net::Fingerprint::parse(fingerprint);
    if (!fp.ok()) {
      std::fprintf(stderr, "conclave: --fingerprint: %s\n", fp.error().to_string().c_str());
      return std::nullopt;
    }
    return *fp;
  }
  server::Config defaults;
  if (!data_dir.empty()) defaults.data_dir = data_dir;
  const std::string cert_file = defaults.effective_certificate_file().string();
  auto fp = net::Fingerprint::of_certificate_pem(read_text(cert_file));
  if (!fp.ok()) {
    std::fprintf(stderr,
                 "conclave: cannot read the server certificate %s (%s); pass --fingerprint "
                 "(printed when the server starts) or --data-dir\n",
                 cert_file.c_str(), fp.error().to_string().c_str());
    return std::nullopt;
  }
  return *fp;
}

int create_meeting(const CreateFlags& flags) {
  std::string server_url = flags.server.empty() ? kDefaultServer : flags.server;
  auto url = net::HttpsUrl::parse(server_url);
  if (!url.ok()) {
    std::fprintf(stderr, "conclave: --server %s: %s\n", server_url.c_str(),
                 url.error().to_string().c_str());
    return 2;
  }
  if (!flags.server.empty() && flags.fingerprint.empty() && flags.data_dir.empty()) {
    std::fprintf(stderr,
                 "conclave: --fingerprint is required with --server (the certificate is "
                 "self-signed; its SHA-256 is printed when the server starts)\n");
    return 2;
  }
  auto pin = resolve_pin(flags.fingerprint, flags.data_dir);
  if (!pin) return 2;

  nlohmann::json body = nlohmann::json::object();
  if (!flags.passcode.empty()) body["passcode"] = flags.passcode;
  if (flags.no_waiting_room) body["waiting_room"] = false;
  net::HttpsClient client({url->host, url->port, *pin, std::chrono::seconds(15)});
  auto res = client.request({"POST", "/api/v1/meetings", {}, body.dump(), {}});
  if (!res.ok()) {
    std::fprintf(stderr, "conclave: %s: %s\n", server_url.c_str(), res.error().to_string().c_str());
    return 1;
  }
  auto j = nlohmann::json::parse(res->body, nullptr, false);
  if (res->status != 201 || j.is_discarded() || !j.is_object() || !j.contains("meeting_id") ||
      !j.contains("join_link") || !j.contains("host_key")) {
    std::fprintf(stderr, "conclave: server answered %d: %s\n", res->status, res->body.c_str());
    return 1;
  }
  nlohmann::json out{{"meeting_id", j["meeting_id"]},
                     {"join_link", j["join_link"]},
                     {"host_key", j["host_key"]}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

// ------------------------------------------------------------- join

struct JoinFlags {
  std::string link;
  std::string name;
  std::string passcode;
  std::string host_key;
  std::string admit = "none";
  std::vector<std::string> say;
  double for_seconds = 0;
  bool json = false;
  bool trace = false;
  std::string fingerprint;
  std::string data_dir;
  size_t wait_members = 0;
  bool test_reveal_secrets = false;
  double test_drop_after = 0;
  std::string publish;
  std::string record;
  double tone_hz = 440.0;
  bool no_subscribe = false;
  uint32_t video_kbps = 1000;
  std::string video_size = "640x360";
  std::string test_external_subscriber;
};

std::atomic<bool> g_join_stop{false};

void on_join_signal(int) { g_join_stop.store(true); }

// One human-readable line for an event.
std::string describe_event(const nlohmann::json& e) {
  auto str = [&](const char* key) {
    auto it = e.find(key);
    if (it == e.end()) return std::string();
    return it->is_string() ? it->get<std::string>() : it->dump();
  };
  const std::string kind = str("event");
  if (kind == "joined") {
    return "joined meeting " + str("meeting_id") + " as " + str("participant_id") + " (" +
           str("role") + ")" + (e.value("resumed", false) ? ", resumed" : "");
  }
  if (kind == "lobby") return "waiting in the lobby for a host to admit us";
  if (kind == "waiting") return str("display_name") + " (" + str("participant_id") + ") is in the lobby";
  if (kind == "epoch") return "epoch " + str("epoch") + ", security code " + str("security_code");
  if (kind == "roster") {
    std::string line = "members:";
    const auto members = e.value("members", nlohmann::json::array());
    for (const auto& m : members) {
      line += " " + m.value("name", std::string("?"));
      if (m.value("host", false)) line += " (host)";
      if (m.value("self", false)) line += " (you)";
      line += ",";
    }
    if (line.back() == ',') line.pop_back();
    return line;
  }
  if (kind == "chat") return "[" + str("from") + "] " + str("text");
  if (kind == "rejected") return "rejected " + str("what") + ": " + str("reason");
  if (kind == "error") return "error " + str("code") + ": " + str("message");
  if (kind == "left") {
    return "left (" + str("reason") + (e.contains("detail") ? ": " + str("detail") : "") + ")";
  }
  if (kind == "reconnecting") {
    return "connection lost (" + str("reason") + "), reconnecting, attempt " + str("attempt");
  }
  if (kind == "meeting") return std::string("meeting ") + (e.value("locked", false) ? "locked" : "unlocked");
  if (kind == "media_connected") return "media: " + str("transport") + " transport connected";
  if (kind == "media_track") {
    return "media: receiving " + str("kind") + " of " + str("participant_id") + " (ssrc " +
           str("ssrc") + ")";
  }
  if (kind == "media_error") return "media error: " + str("what");
  if (kind == "active_speaker") return "speaking: " + str("participant_id");
  return e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int run_join(const JoinFlags& flags) {
  auto url = net::HttpsUrl::parse(flags.link);
  constexpr std::string_view kPrefix = "/j/";
  if (!url.ok() || url->path.rfind(kPrefix, 0) != 0 || url->path.size() == kPrefix.size() ||
      url->path.find('/', kPrefix.size()) != std::string::npos) {
    std::fprintf(stderr, "conclave: %s is not a join link (https://host:port/j/<meeting_id>)\n",
                 flags.link.c_str());
    return 2;
  }
  const std::string meeting_id = url->path.substr(kPrefix.size());
  if (flags.admit != "all" && flags.admit != "none") {
    std::fprintf(stderr, "conclave: --admit must be all or none\n");
    return 2;
  }
  auto pin = resolve_pin(flags.fingerprint, flags.data_dir);
  if (!pin) return 2;

  client::ClientOptions options;
  options.session.meeting_id = meeting_id;
  options.session.display_name = flags.name;
  if (!flags.passcode.empty()) options.session.passcode = flags.passcode;
  if (!flags.host_key.empty()) options.session.host_key = flags.host_key;
  options.session.admit =
      flags.admit == "all" ? client::AdmitPolicy::all : client::AdmitPolicy::none;
  options.say = flags.say;
  if (flags.wait_members > 0) {
    options.say_min_members = flags.wait_members;
    options.say_wait.reset();
  }
  options.reveal_test_secrets = flags.test_reveal_secrets;
  if (flags.test_drop_after > 0) {
    options.drop_connection_after =
        std::chrono::milliseconds(static_cast<int64_t>(flags.test_drop_after * 1000));
  }
  if (flags.for_seconds > 0) {
    options.duration = std::chrono::milliseconds(static_cast<int64_t>(flags.for_seconds * 1000));
  }
  options.stop = &g_join_stop;
  if (!flags.publish.empty() || !flags.record.empty() || !flags.test_external_subscriber.empty()) {
    client::MediaOptions media;
    media.publish = flags.publish;
    if (!flags.record.empty()) media.record_dir = flags.record;
    media.subscribe = !flags.no_subscribe;
    media.tone_hz = flags.tone_hz;
    media.video_kbps = flags.video_kbps;
    unsigned w = 0, h = 0;
    char x = 0;
    std::istringstream size(flags.video_size);
    if (!(size >> w >> x >> h) || x != 'x' || w < 160 || h < 32 || w > 3840 || h > 2160) {
      std::fprintf(stderr, "conclave: --video-size %s: WIDTHxHEIGHT, 160x32 to 3840x2160\n",
                   flags.video_size.c_str());
      return 2;
    }
    media.width = w;
    media.height = h;
    if (!flags.test_external_subscriber.empty()) {
      if (!test_flags_allowed("--test-external-subscriber")) return 2;
      if (flags.no_subscribe) {
        std::fprintf(stderr, "conclave: --test-external-subscriber needs a subscription\n");
        return 2;
      }
      media.external_subscriber = flags.test_external_subscriber;
    }
    options.media = media;
  }

  struct sigaction action {};
  action.sa_handler = on_join_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  SteadyClock clock;
  client::Client client({url->host, url->port, *pin, std::chrono::seconds(15)},
                        std::move(options), clock);
  const bool json = flags.json;
  client.on_client_event = [json](const nlohmann::json& e) {
    if (json) {
      std::printf("%s\n", e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else {
      std::printf("%8.3f  %s\n", e.value("time", 0.0), describe_event(e).c_str());
    }
    std::fflush(stdout);
  };
  if (flags.trace) {
    client.on_client_trace = [](bool outgoing, std::string_view text) {
      std::fprintf(stderr, "%s %.*s\n", outgoing ? ">>" : "<<", static_cast<int>(text.size()),
                   text.data());
    };
  }
  auto outcome = client.run();
  if (!outcome.ok()) {
    std::fprintf(stderr, "conclave: %s\n", outcome.error().to_string().c_str());
    return 1;
  }
  switch (outcome->reason) {
    case client::EndReason::left: return 0;
    case client::EndReason::removed:
    case client::EndReason::denied: return 3;
    case client::EndReason::failed: break;
  }
  std::fprintf(stderr, "conclave: %s\n",
               outcome->detail.empty() ? "failed" : outcome->detail.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Conclave: end-to-end encrypted meetings"};
  app.require_subcommand(1);

  ServerFlags server_flags;
  auto* server_cmd = app.add_subcommand("server", "Run the Conclave server");
  server_cmd->add_option("--config", server_flags.config_file, "TOML config file")
      ->check(CLI::ExistingFile);
  server_cmd->add_option("--listen", server_flags.listen,
                         "Address and port, e.g. 127.0.0.1:8443 (port 0: any free port)");
  server_cmd->add_option("--data-dir", server_flags.data_dir,
                         "Database and certificate directory (default ./conclave-data)");
  server_cmd->add_option("--log-level", server_flags.log_level,
                         "trace, debug, info, warn, error, critical or off");
  server_cmd->add_option("--web-root", server_flags.web_root,
                         "Folder of the browser client served at / (default: [web] root, "
                         "else web/dist of the source tree)");
  server_cmd->add_option("--media-port", server_flags.media_port,
                         "UDP port of the SFU (-1: the HTTPS port's number, 0: any free port)")
      ->check(CLI::Range(-1, 65535));
  server_cmd->add_option("--test-media-capture", server_flags.test_media_capture,
                         "TEST ONLY (needs CONCLAVE_TEST_HOSTILE=1): write every RTP/RTCP packet "
                         "the SFU sees (after SRTP) to this file");
  server_cmd->add_option("--test-media-loss", server_flags.test_media_loss,
                         "TEST ONLY (needs CONCLAVE_TEST_HOSTILE=1): drop this fraction of the "
                         "RTP/RTCP datagrams at the media port, both ways")
      ->check(CLI::Range(0.0, 0.5));
  server_cmd->add_option("--reconnect-grace-ms", server_flags.reconnect_grace_ms,
                         "How long a dropped member keeps its seat (default 10000)")
      ->check(CLI::Range(0, 3600 * 1000));
  server_cmd->add_option("--test-hostile", server_flags.hostile,
                         "TEST ONLY (needs CONCLAVE_TEST_HOSTILE=1): server_add, forge_commit, "
                         "tamper_commit, tamper_application, replay or fork; repeatable")
      ->take_all();

  CreateFlags create_flags;
  auto* meeting_cmd = app.add_subcommand("meeting", "Manage meetings");
  meeting_cmd->require_subcommand(1);
  auto* create_cmd = meeting_cmd->add_subcommand("create", "Create a meeting");
  create_cmd->add_option("--server", create_flags.server,
                         std::string("Server URL (default ") + kDefaultServer + ")");
  create_cmd->add_option("--passcode", create_flags.passcode, "Passcode joiners must give");
  create_cmd->add_flag("--no-waiting-room", create_flags.no_waiting_room,
                       "Let joiners in without host admission");
  create_cmd->add_option("--fingerprint", create_flags.fingerprint,
                         "SHA-256 fingerprint of the server certificate to pin");
  create_cmd->add_option("--data-dir", create_flags.data_dir,
                         "Read the fingerprint from this server data dir's certificate");

  JoinFlags join_flags;
  auto* join_cmd = app.add_subcommand("join", "Join a meeting as an end-to-end encrypted member");
  join_cmd->add_option("link", join_flags.link, "Join link https://host:port/j/<meeting_id>")
      ->required();
  join_cmd->add_option("--name", join_flags.name, "Display name (the MLS credential identity)")
      ->required();
  join_cmd->add_option("--passcode", join_flags.passcode, "The meeting's passcode");
  join_cmd->add_option("--host-key", join_flags.host_key, "Join as a host with this host key");
  join_cmd->add_option("--admit", join_flags.admit,
                       "As a host: admit everyone who waits in the lobby (all) or no one (none)");
  join_cmd->add_option("--say", join_flags.say, "A chat message to send once in (repeatable)");
  join_cmd->add_option("--wait-members", join_flags.wait_members,
                       "Send the --say texts once the group has this many members")
      ->check(CLI::Range(1, 100000));
  join_cmd->add_option("--for", join_flags.for_seconds, "Leave after this many seconds");
  join_cmd->add_flag("--test-reveal-secrets", join_flags.test_reveal_secrets,
                     "TEST ONLY: epoch events carry the epoch authenticator and SFrame base key");
  join_cmd->add_option("--test-drop-connection-after", join_flags.test_drop_after,
                       "TEST ONLY: drop the connection once, this many seconds after joining");
  join_cmd->add_option("--publish", join_flags.publish,
                       "Send audio and video: test (test pattern and tone) or .y4m/.wav files");
  join_cmd->add_option("--record", join_flags.record,
                       "Write every received track to DIR (<participant>-<mid>.y4m / .wav)");
  join_cmd->add_option("--tone-hz", join_flags.tone_hz, "Frequency of the test tone (440)")
      ->check(CLI::Range(20.0, 20000.0));
  join_cmd->add_option("--video-kbps", join_flags.video_kbps, "VP8 bitrate (1000)")
      ->check(CLI::Range(50, 20000));
  join_cmd->add_option("--video-size", join_flags.video_size,
                       "Size of the --publish test pattern (640x360)");
  join_cmd->add_flag("--no-subscribe", join_flags.no_subscribe, "Publish only");
  join_cmd->add_option("--test-external-subscriber", join_flags.test_external_subscriber,
                       "TEST ONLY (needs CONCLAVE_TEST_HOSTILE=1): the command (/bin/sh -c) that "
                       "holds the subscribe transport: SDP offers in, answers and RTP out as "
                       "JSON lines (interop/werift/subscriber.mjs)");
  join_cmd->add_flag("--json", join_flags.json, "One JSON object per event and line");
  join_cmd->add_flag("--trace", join_flags.trace, "Print every signaling message on stderr");
  join_cmd->add_option("--fingerprint", join_flags.fingerprint,
                       "SHA-256 fingerprint of the server certificate to pin");
  join_cmd->add_option("--data-dir", join_flags.data_dir,
                       "Read the fingerprint from this server data dir's certificate");

  cli::LoadFlags load_flags;
  auto* load_cmd = app.add_subcommand(
      "load", "Load test: meetings of clients that join and chat; prints join-time percentiles");
  load_cmd->add_option("--server", load_flags.server, "Server URL")->required();
  load_cmd->add_option("--fingerprint", load_flags.fingerprint,
                       "SHA-256 fingerprint of the server certificate to pin")
      ->required();
  load_cmd->add_option("--meetings", load_flags.meetings, "Number of meetings (default 10)")
      ->check(CLI::Range(1, 1000));
  load_cmd->add_option("--clients", load_flags.clients,
                       "Clients per meeting, the host included (default 10)")
      ->check(CLI::Range(2, 1000));
  load_cmd->add_option("--deadline", load_flags.deadline_seconds,
                       "Give up after this many seconds (default 120)")
      ->check(CLI::Range(1.0, 3600.0));
  load_cmd->add_option("--media", load_flags.media,
                       "Also publish and subscribe synthetic media: video or audio")
      ->check(CLI::IsMember({"video", "audio"}));
  load_cmd->add_option("--seconds", load_flags.media_seconds,
                       "Media seconds once everyone joined and receives (default 20)")
      ->check(CLI::Range(1.0, 3600.0));
  load_cmd->add_option("--video-kbps", load_flags.video_kbps,
                       "Synthetic video bitrate per publisher (default 1000)")
      ->check(CLI::Range(10, 100000));
  load_cmd->add_option("--server-pid", load_flags.server_pid,
                       "A local server's process ID: report its CPU time over the media window")
      ->check(CLI::Range(1, 1 << 30));

  CLI11_PARSE(app, argc, argv);
  if (load_cmd->parsed()) return cli::run_load(load_flags);
  if (join_cmd->parsed()) return run_join(join_flags);
  if (server_cmd->parsed()) return run_server(server_flags);
  if (create_cmd->parsed()) return create_meeting(create_flags);
  return 2;
}
