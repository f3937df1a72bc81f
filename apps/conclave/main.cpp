// conclave: the command-line program.
//
//   conclave server [--config F] [--listen ADDR:PORT] [--data-dir D] [--log-level L]
//       Runs the server (docs/operations.md). Prints one line on stdout when
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
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "conclave/net/https_client.h"
#include "conclave/server/server.h"

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
};

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

int create_meeting(const CreateFlags& flags) {
  std::string server_url = flags.server.empty() ? kDefaultServer : flags.server;
  auto url = net::HttpsUrl::parse(server_url);
  if (!url.ok()) {
    std::fprintf(stderr, "conclave: --server %s: %s\n", server_url.c_str(),
                 url.error().to_string().c_str());
    return 2;
  }
  std::optional<net::Fingerprint> pin;
  if (!flags.fingerprint.empty()) {
    auto fp = net::Fingerprint::parse(flags.fingerprint);
    if (!fp.ok()) {
      std::fprintf(stderr, "conclave: --fingerprint: %s\n", fp.error().to_string().c_str());
      return 2;
    }
    pin = *fp;
  } else if (flags.server.empty() || !flags.data_dir.empty()) {
    server::Config defaults;
    if (!flags.data_dir.empty()) defaults.data_dir = flags.data_dir;
    std::string cert_file = defaults.effective_certificate_file().string();
    std::string pem = read_text(cert_file);
    auto fp = net::Fingerprint::of_certificate_pem(pem);
    if (!fp.ok()) {
      std::fprintf(stderr,
                   "conclave: cannot read the server certificate %s (%s); pass --fingerprint\n",
                   cert_file.c_str(), fp.error().to_string().c_str());
      return 2;
    }
    pin = *fp;
  } else {
    std::fprintf(stderr,
                 "conclave: --fingerprint is required with --server (the certificate is "
                 "self-signed; its SHA-256 is printed when the server starts)\n");
    return 2;
  }

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

  CLI11_PARSE(app, argc, argv);
  if (server_cmd->parsed()) return run_server(server_flags);
  if (create_cmd->parsed()) return create_meeting(create_flags);
  return 2;
}
