#include "load.h"

#include <algorithm>
#include <cmath>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
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
};

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
  if (!url.ok() || !pin.ok() || flags.meetings < 1 || flags.clients < 2) {
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
          static_cast<int64_t>(flags.deadline_seconds * 1000) + 5000);
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
    }
    if (all) {
      complete_ms = Ms(std::chrono::steady_clock::now() - started).count();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
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
  std::printf("%s\n", out.dump().c_str());
  const bool ok = joins.size() == total && delivered == expected && rejected == 0;
  return ok ? 0 : 1;
}

}  // namespace conclave::cli
