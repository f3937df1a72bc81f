#include "conclave/client/external_subscriber.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "conclave/base/encoding.h"
#include "conclave/client/media_errc.h"

namespace conclave::client {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Reads from the child until done(all output so far) or 10 s.
ExternalSubscriber::Output read_until(
    ExternalSubscriber& child, const std::function<bool(const ExternalSubscriber::Output&)>& done) {
  ExternalSubscriber::Output all;
  auto deadline = Clock::now() + 10s;
  while (!done(all) && Clock::now() < deadline) {
    if (child.output_fd() >= 0) {
      pollfd fd{child.output_fd(), POLLIN, 0};
      (void)::poll(&fd, 1, 20);
    }
    auto out = child.read();
    for (auto& a : out.answers) all.answers.push_back(std::move(a));
    for (auto& p : out.rtp) all.rtp.push_back(std::move(p));
    if (child.closed() && child.output_fd() < 0 && done(all)) break;
  }
  return all;
}

bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

// Processes of process group pgid that still run (zombies waiting for
// init to reap them do not count), from /proc (Linux).
int live_processes_in_group(pid_t pgid) {
  int live = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream in(entry.path() / "stat");
    std::string stat;
    if (!in || !std::getline(in, stat)) continue;
    // pid (comm) state ppid pgrp ...: comm may hold spaces, so parse after ')'.
    size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 1));
    char state = 0;
    long ppid = 0;
    long pgrp = 0;
    if (!(rest >> state >> ppid >> pgrp)) continue;
    if (pgrp == pgid && state != 'Z' && state != 'X') ++live;
  }
  return live;
}

TEST(ExternalSubscriber, OffersGoInAnswersAndPacketsComeOut) {
  const Bytes packet = {0x80, 0x60, 0x00, 0x01, 0, 0, 0, 2, 0x11, 0x22, 0x33, 0x44, 0xab};
  // The child turns each offer line into an answer line carrying the same
  // SDP (so escaping must survive both ways), then sends one packet and one
  // line of garbage.
  std::string command =
      "while read -r line; do printf '%s\\n' \"$line\" | sed 's/\"type\":\"offer\"/\"type\":\"answer\"/'; "
      "echo '{\"type\":\"rtp\",\"data\":\"" + to_base64(packet) + "\"}'; echo 'not json'; done";
  auto child = ExternalSubscriber::spawn(command);
  ASSERT_TRUE(child) << child.error().to_string();
  const std::string sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=\"quoted\" \\ slash\r\n";
  ASSERT_TRUE(child->send_offer(sdp));
  ASSERT_TRUE(child->send_offer("v=0\r\n"));
  auto out = read_until(*child, [](const auto& o) { return o.answers.size() == 2 && o.rtp.size() == 2; });
  ASSERT_EQ(out.answers.size(), 2u);
  EXPECT_EQ(out.answers[0], sdp);
  EXPECT_EQ(out.answers[1], "v=0\r\n");
  ASSERT_EQ(out.rtp.size(), 2u);
  EXPECT_EQ(out.rtp[0], packet);
  // The garbage lines may still be in flight: read until both are counted.
  auto deadline = Clock::now() + 5s;
  while (child->stats().parse_errors < 2 && Clock::now() < deadline) {
    (void)child->read();
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(child->stats().offers_sent, 2u);
  EXPECT_EQ(child->stats().answers, 2u);
  EXPECT_EQ(child->stats().rtp_packets, 2u);
  EXPECT_EQ(child->stats().parse_errors, 2u);
}

TEST(ExternalSubscriber, AnOverlongLineIsCountedAndTheNextLineStillParses) {
  auto child = ExternalSubscriber::spawn(
      "head -c 300000 /dev/zero | tr '\\000' a; echo; echo '{\"type\":\"answer\",\"sdp\":\"x\"}'");
  ASSERT_TRUE(child);
  auto out = read_until(*child, [](const auto& o) { return o.answers.size() == 1; });
  ASSERT_EQ(out.answers.size(), 1u);
  EXPECT_EQ(out.answers[0], "x");
  EXPECT_EQ(child->stats().parse_errors, 1u);
}

TEST(ExternalSubscriber, AChildThatExitsIsClosedAndRefusesOffers) {
  auto child = ExternalSubscriber::spawn("printf '{\"type\":\"answer\",\"sdp\":\"y\"}'");  // no newline
  ASSERT_TRUE(child);
  auto deadline = Clock::now() + 10s;
  while (!child->closed() && Clock::now() < deadline) {
    (void)child->read();
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(child->closed());
  // A line cut short by the end of the output is not a message.
  EXPECT_EQ(child->stats().answers, 0u);
  EXPECT_EQ(child->stats().parse_errors, 1u);
  // Its stdin is gone too (the first send may still be buffered by the
  // kernel before the peer's close is seen).
  Status last;
  for (int i = 0; i < 3 && last; ++i) {
    last = child->send_offer("v=0\r\n");
    (void)child->read();
  }
  child->stop();
  EXPECT_FALSE(child->send_offer("v=0\r\n"));
}

TEST(ExternalSubscriber, StopEndsAChildThatIgnoresEofAndSigterm) {
  // The shell and its sleep both ignore SIGTERM; only SIGKILL ends them.
  auto child = ExternalSubscriber::spawn("trap '' TERM; sleep 30; sleep 30");
  ASSERT_TRUE(child);
  pid_t pid = child->pid();
  ASSERT_GT(pid, 0);
  auto deadline = Clock::now() + 5s;
  while (live_processes_in_group(pid) < 2 && Clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_EQ(live_processes_in_group(pid), 2);  // the shell and its sleep
  auto start = Clock::now();
  child->stop();
  EXPECT_LT(Clock::now() - start, 5s);
  EXPECT_FALSE(process_exists(pid));
  EXPECT_EQ(live_processes_in_group(pid), 0);  // nothing is left running in its group
  child->stop();                       // idempotent
}

TEST(ExternalSubscriber, ParseLineAcceptsTheTwoMessages) {
  auto answer = ExternalSubscriber::parse_line(R"({"type":"answer","sdp":"v=0\r\n"})");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->type, ExternalSubscriber::Message::Type::answer);
  EXPECT_EQ(answer->sdp, "v=0\r\n");
  auto rtp = ExternalSubscriber::parse_line(R"({"type":"rtp","data":"gGA="})");
  ASSERT_TRUE(rtp);
  EXPECT_EQ(rtp->type, ExternalSubscriber::Message::Type::rtp);
  EXPECT_EQ(rtp->packet, (Bytes{0x80, 0x60}));
}

TEST(ExternalSubscriber, ParseLineRejectsEverythingElse) {
  const std::string big_packet(4 * ((ExternalSubscriber::kMaxPacket + 3) / 3) + 8, 'A');
  for (std::string line : {std::string(""), std::string("{"), std::string("[]"), std::string("42"),
                           std::string(R"({"sdp":"v=0"})"), std::string(R"({"type":7})"),
                           std::string(R"({"type":"offer","sdp":"v=0"})"),
                           std::string(R"({"type":"answer"})"), std::string(R"({"type":"answer","sdp":1})"),
                           std::string(R"({"type":"rtp"})"), std::string(R"({"type":"rtp","data":""})"),
                           std::string(R"({"type":"rtp","data":"@@@@"})"),
                           std::string(R"({"type":"rtp","data":[]})"),
                           R"({"type":"rtp","data":")" + big_packet + R"("})",
                           std::string(ExternalSubscriber::kMaxLine + 1, ' ')}) {
    auto m = ExternalSubscriber::parse_line(line);
    ASSERT_FALSE(m) << line.substr(0, 60);
    EXPECT_TRUE(m.error().is(MediaErrc::external_subscriber_line))
        << line.substr(0, 60);
  }
}

}  // namespace
}  // namespace conclave::client
