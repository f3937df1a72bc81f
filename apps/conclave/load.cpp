#include "load.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "conclave/client/client.h"
#include "conclave/net/fingerprint.h"
#include "conclave/net/https_client.h"

namespace conclave::cli {
namespace {

using Ms = std::chrono::duration<double, std::milli>;

struct Meeting {
  std::string id;
  std::string host_key;
  std::atomic<bool> stop{false};
};

// What one client saw, written by its thread under `mutex`.
struct ClientRecord {
  std::mutex mutex;
  std::optional<double> join_ms;  // hello → member
  int chats = 0;
  int rejected = 0;
  int errors = 0;  // error events (a lost commit race is one)
  std::string failure;
  bool done = false;
  // --media
  int tracks = 0;  // remote tracks announced (media_track)
  bool publishing = false;
  bool receiving = false;  // the subscribe transport is up
  nlohmann::json media_stats;  // the engine's final media_stats event
};

// The counters of a Prometheus text page: "name{labels}" -> value.
std::map<std::string, double> parse_metrics(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    try {
      out[line.substr(0, space)] = std::stod(line.substr(space + 1));
    } catch (const std::exception&) {
      // Not a number: not a sample we use.
    }
  }
  return out;
}

std::map<std::string, double> fetch_metrics(const net::HttpsClient& https) {
  auto res = https.request({"GET", "/metrics", {}, "", {}});
  if (!res.ok() || res->status != 200) {
    std::fprintf(stderr, "conclave load: GET /metrics failed\n");
    return {};
  }
  return parse_metrics(res->body);
}

// CPU seconds (user + system) of a local process, from /proc/<pid>/stat.
std::optional<double> process_cpu_seconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return std::nullopt;
  // Fields after the command name (which may hold spaces) start at 3;
  // utime and stime are fields 14 and 15.
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(paren + 1));
  std::string f;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i >= 14) {
      try {
        ticks += std::stod(f);
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double own_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

uint64_t count_of(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number_unsigned()) return 0;
  return j[key].get<uint64_t>();
}

double percent(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

// What the server's counters did between two samples.
nlohmann::json metrics_delta(const std::map<std::string, double>& before,
                             const std::map<std::string, double>& after) {
  auto delta = [&](const std::string& name) {
    const auto a = after.find(name);
    const auto b = before.find(name);
    return (a == after.end() ? 0.0 : a->second) - (b == before.end() ? 0.0 : b->second);
  };
  nlohmann::json reasons = nlohmann::json::object();
  double dropped = 0;
  const std::string prefix = "conclave_sfu_dropped_total{reason=\"";
  for (const auto& [name, value] : after) {
    if (!name.starts_with(prefix)) continue;
    const double d = delta(name);
    dropped += d;
    if (d != 0) reasons[name.substr(prefix.size(), name.size() - prefix.size() - 2)] = d;
  }
  const double in = delta("conclave_sfu_rtp_received_total");
  const double forwarded = delta("conclave_sfu_rtp_forwarded_total");
  return {{"rtp_received", in},
          {"rtp_forwarded", forwarded},
          {"fanout", in > 0 ? forwarded / in : 0.0},
          {"retransmitted", delta("conclave_sfu_retransmitted_total")},
          {"datagrams_received", delta("conclave_sfu_datagrams_received_total")},
          {"datagrams_sent", delta("conclave_sfu_datagrams_sent_total")},
          {"bytes_received", delta("conclave_sfu_bytes_received_total")},
          {"bytes_sent", delta("conclave_sfu_bytes_sent_total")},
          {"dropped", dropped},
          {"dropped_by_reason", reasons}};
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  // Nearest rank.
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

Result<std::unique_ptr<Meeting>> create_meeting(net::HttpsClient& https) {
  auto res = https.request({"POST", "/api/v1/meetings", {}, "{}", {}});
  if (!res.ok()) return res.error();
  auto j = nlohmann::json::parse(res->body, nullptr, false);
  if (res->status != 201 || !j.is_object() || !j.contains("meeting_id") ||
      !j["meeting_id"].is_string() || !j.contains("host_key") || !j["host_key"].is_string()) {
    std::fprintf(stderr, "conclave load: meeting creation answered %d: %s\n", res->status,
                 res->body.c_str());
    return Error(net::Errc::protocol_error, "meeting creation");
  }
  auto m = std::make_unique<Meeting>();
  m->id = j["meeting_id"].get<std::string>();
  m->host_key = j["host_key"].get<std::string>();
  return m;
}

}  // namespace

int run_load(const LoadFlags& flags) {
  auto url = net::HttpsUrl::parse(flags.server);
  auto pin = net::Fingerprint::parse(flags.fingerprint);
  if (!url.ok() || !pin.ok() || flags.meetings < 1 || flags.clients < 2 ||
      !(flags.media.empty() || flags.media == "video" || flags.media == "audio")) {
    std::fprintf(stderr, "conclave load: needs --server URL, --fingerprint, --meetings >= 1 and "
                         "--clients >= 2\n");
    return 2;
  }
  const net::ServerEndpoint endpoint{url->host, url->port, *pin, std::chrono::seconds(30)};
  net::HttpsClient https(endpoint);
  std::vector<std::unique_ptr<Meeting>> meetings;
  for (int i = 0; i < flags.meetings; ++i) {
    auto m = create_meeting(https);
    if (!m.ok()) {
      std::fprintf(stderr, "conclave load: %s\n", m.error().to_string().c_str());
      return 1;
    }
    meetings.push_back(std::move(*m));
  }

  const auto per_meeting = static_cast<size_t>(flags.clients);
  const size_t total = meetings.size() * per_meeting;
  std::vector<std::unique_ptr<ClientRecord>> records;
  for (size_t i = 0; i < total; ++i) records.push_back(std::make_unique<ClientRecord>());

  const bool media = !flags.media.empty();
  const double media_seconds = media ? flags.media_seconds : 0;
  SteadyClock clock;
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  threads.reserve(total);
  for (size_t i = 0; i < total; ++i) {
    Meeting& meeting = *meetings[i / per_meeting];
    const size_t index = i % per_meeting;
    ClientRecord& record = *records[i];
    threads.emplace_back([&, index] {
      client::ClientOptions options;
      options.session.meeting_id = meeting.id;
      options.session.display_name =
          (index == 0 ? "host-" : "member-") + std::to_string(index) + "-" + meeting.id.substr(0, 6);
      if (index == 0) {
        options.session.host_key = meeting.host_key;
        options.session.admit = client::AdmitPolicy::all;
      }
      options.say = {"load message from " + options.session.display_name};
      options.say_min_members = per_meeting;
      options.say_wait.reset();
      options.stop = &meeting.stop;
      options.duration = std::chrono::milliseconds(
          static_cast<int64_t>((flags.deadline_seconds + media_seconds) * 1000) + 10000);
      if (media) {
        client::MediaOptions m;
        m.publish = flags.media == "video" ? "synthetic-video" : "synthetic-audio";
        m.video_kbps = flags.video_kbps;
        m.decode = false;
        m.batch_interval = std::chrono::milliseconds(5);
        options.media = m;
      }
      client::Client c(endpoint, std::move(options), clock);
      const auto t0 = std::chrono::steady_clock::now();
      c.on_client_event = [&](const nlohmann::json& e) {
        const std::string kind = e.value("event", "");
        std::lock_guard lock(record.mutex);
        if (kind == "epoch" && !record.join_ms) {
          record.join_ms = Ms(std::chrono::steady_clock::now() - t0).count();
        } else if (kind == "chat") {
          ++record.chats;
        } else if (kind == "rejected") {
          ++record.rejected;
        } else if (kind == "error") {
          ++record.errors;
        } else if (kind == "media_track") {
          ++record.tracks;
        } else if (kind == "media_connected" && e.value("transport", "") == "publish") {
          record.publishing = true;
        } else if (kind == "media_connected" && e.value("transport", "") == "subscribe") {
          record.receiving = true;
        } else if (kind == "media_stats") {
          record.media_stats = e;
        }
      };
      auto outcome = c.run();
      std::lock_guard lock(record.mutex);
      record.done = true;
      if (!outcome.ok()) {
        record.failure = outcome.error().to_string();
      } else if (!outcome->clean() && record.failure.empty()) {
        record.failure = std::string(client::to_string(outcome->reason)) + " " + outcome->detail;
      }
    });
  }

  // Wait until every meeting is complete (every chat everywhere) or the
  // deadline; then everyone leaves.
  const auto deadline = started + std::chrono::milliseconds(
                                      static_cast<int64_t>(flags.deadline_seconds * 1000));
  const int expected_chats = flags.clients - 1;
  std::optional<double> complete_ms;
  while (std::chrono::steady_clock::now() < deadline) {
    bool all = true;
    for (const auto& r : records) {
      std::lock_guard lock(r->mutex);
      if (r->chats < expected_chats) all = false;
      if (media && (r->tracks < expected_chats || !r->publishing || !r->receiving)) all = false;
    }
    if (all) {
      complete_ms = Ms(std::chrono::steady_clock::now() - started).count();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // With media: the measured window, once everyone is in and receiving.
  nlohmann::json window = nullptr;
  if (media && complete_ms) {
    // A moment for the last subscriptions' first packets (key frames) to flow.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const auto metrics_before = fetch_metrics(https);
    const auto server_before = flags.server_pid > 0 ? process_cpu_seconds(flags.server_pid)
                                                    : std::nullopt;
    const double load_before = own_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(
        std::chrono::milliseconds(static_cast<int64_t>(flags.media_seconds * 1000)));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double load_cpu = own_cpu_seconds() - load_before;
    const auto server_after = flags.server_pid > 0 ? process_cpu_seconds(flags.server_pid)
                                                   : std::nullopt;
    window = {{"seconds", seconds},
              {"load_cpu_seconds", load_cpu},
              {"load_cpu_percent", 100.0 * load_cpu / seconds},
              {"server", metrics_delta(metrics_before, fetch_metrics(https))}};
    if (server_before && server_after) {
      window["server"]["cpu_seconds"] = *server_after - *server_before;
      window["server"]["cpu_percent"] = 100.0 * (*server_after - *server_before) / seconds;
    }
  }
  for (auto& m : meetings) m->stop.store(true);
  for (auto& t : threads) t.join();

  std::vector<double> joins;
  int delivered = 0;
  int rejected = 0;
  int errors = 0;
  int failed = 0;
  std::string first_failure;
  for (const auto& r : records) {
    if (r->join_ms) joins.push_back(*r->join_ms);
    delivered += std::min(r->chats, expected_chats);
    rejected += r->rejected;
    errors += r->errors;
    if (!r->failure.empty()) {
      ++failed;
      if (first_failure.empty()) first_failure = r->failure;
    }
  }
  const int expected = static_cast<int>(total) * expected_chats;
  nlohmann::json out{
      {"meetings", flags.meetings},
      {"clients", total},
      {"joined", joins.size()},
      {"join_ms",
       {{"p50", percentile(joins, 50)},
        {"p95", percentile(joins, 95)},
        {"p99", percentile(joins, 99)},
        {"max", percentile(joins, 100)}}},
      {"chats_expected", expected},
      {"chats_delivered", delivered},
      {"all_delivered_ms", complete_ms ? nlohmann::json(*complete_ms) : nlohmann::json(nullptr)},
      {"rejected", rejected},
      {"error_events", errors},
      {"failed", failed},
  };
  if (!first_failure.empty()) out["first_failure"] = first_failure;
  bool media_ok = true;
  if (media) {
    // Counted over the whole run (media starts as each client joins).
    uint64_t sent = 0, expected_packets = 0, received = 0, duplicates = 0, decrypted = 0,
             decrypt_failures = 0, unknown_epoch = 0, frames = 0, late = 0, send_failed = 0;
    int tracks = 0;
    double max_receiver_loss = 0, max_track_loss = 0, max_lag_ms = 0;
    for (const auto& r : records) {
      const nlohmann::json& s = r->media_stats;
      if (!s.is_object()) continue;
      if (s.contains("transport_drops") && s["transport_drops"].is_object()) {
        send_failed += count_of(s["transport_drops"], "send_failed");
      }
      for (const char* k : {"video_sent", "audio_sent"}) {
        if (s.contains(k)) sent += count_of(s[k], "packets");
      }
      if (s.contains("synthetic") && s["synthetic"].is_object()) {
        for (const auto& [kind, sched] : s["synthetic"].items()) {
          frames += count_of(sched, "frames");
          late += count_of(sched, "late");
          if (sched.contains("max_lag_ms") && sched["max_lag_ms"].is_number()) {
            max_lag_ms = std::max(max_lag_ms, sched["max_lag_ms"].get<double>());
          }
        }
      }
      uint64_t r_expected = 0, r_received = 0;
      if (s.contains("received") && s["received"].is_array()) {
        for (const auto& t : s["received"]) {
          const uint64_t e = count_of(t, "rtp_expected");
          const uint64_t got = count_of(t, "rtp_received");
          ++tracks;
          r_expected += e;
          r_received += got;
          duplicates += count_of(t, "rtp_duplicates");
          decrypted += count_of(t, "frames_decrypted");
          decrypt_failures += count_of(t, "decrypt_failures");
          unknown_epoch += count_of(t, "unknown_epoch");
          max_track_loss = std::max(max_track_loss, percent(e > got ? e - got : 0, e));
          if (e == 0) media_ok = false;  // a track that never flowed
        }
      }
      expected_packets += r_expected;
      received += r_received;
      max_receiver_loss = std::max(
          max_receiver_loss, percent(r_expected > r_received ? r_expected - r_received : 0,
                                     r_expected));
    }
    const int tracks_expected = static_cast<int>(total) * expected_chats;
    if (tracks < tracks_expected || !complete_ms) media_ok = false;
    out["media"] = {
        {"kind", flags.media},
        {"packets_sent", sent},
        {"send_failed", send_failed},
        {"packets_expected", expected_packets},
        {"packets_received", received},
        {"duplicates", duplicates},
        {"loss_percent",
         percent(expected_packets > received ? expected_packets - received : 0,
                 expected_packets)},
        {"max_receiver_loss_percent", max_receiver_loss},
        {"max_track_loss_percent", max_track_loss},
        {"tracks", tracks},
        {"tracks_expected", tracks_expected},
        {"frames_decrypted", decrypted},
        {"decrypt_failures", decrypt_failures},
        {"unknown_epoch", unknown_epoch},
        {"sender_schedule",
         {{"frames", frames},
          {"late", late},
          {"late_percent", percent(late, frames)},
          {"max_lag_ms", max_lag_ms}}},
        {"window", window},
    };
  }
  std::printf("%s\n", out.dump().c_str());
  const bool ok = joins.size() == total && delivered == expected && rejected == 0 && media_ok;
  return ok ? 0 : 1;
}

}  // namespace conclave::cli
