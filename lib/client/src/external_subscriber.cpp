#include "conclave/client/external_subscriber.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "conclave/base/encoding.h"
#include "conclave/client/media_errc.h"

extern char** environ;

namespace conclave::client {
namespace {

using namespace std::chrono_literals;

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

bool set_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

// Waits up to `limit` for pid to exit; true once it has. With reap false
// the child stays a zombie (its pid, and so its process group id, cannot be
// reused yet).
bool exited_within(pid_t pid, std::chrono::milliseconds limit, bool reap) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    siginfo_t info{};
    int options = WEXITED | WNOHANG | (reap ? 0 : WNOWAIT);
    int r = ::waitid(P_PID, static_cast<id_t>(pid), &info, options);
    if (r == 0 && info.si_pid == pid) return true;
    if (r < 0 && errno != EINTR) return true;  // not our child (any more)
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
}

}  // namespace

Result<ExternalSubscriber> ExternalSubscriber::spawn(const std::string& command) {
  // [0] stays with us, [1] becomes the child's descriptor.
  std::array<int, 2> in{-1, -1};
  std::array<int, 2> out{-1, -1};
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in.data()) != 0) {
    return Error(MediaErrc::external_subscriber, "socketpair");
  }
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, out.data()) != 0) {
    close_fd(in[0]);
    close_fd(in[1]);
    return Error(MediaErrc::external_subscriber, "socketpair");
  }
  // One direction each: the child reads in[1] and writes out[1].
  (void)::shutdown(in[0], SHUT_RD);
  (void)::shutdown(out[0], SHUT_WR);

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, in[1], STDIN_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  ::posix_spawnattr_init(&attr);
  // A process group of its own, so that stop() reaches the shell's
  // children too; default signal handling for the signals we may send.
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGPIPE);
  sigset_t none;
  sigemptyset(&none);
  ::posix_spawnattr_setpgroup(&attr, 0);
  ::posix_spawnattr_setsigdefault(&attr, &defaults);
  ::posix_spawnattr_setsigmask(&attr, &none);
  ::posix_spawnattr_setflags(&attr, static_cast<short>(POSIX_SPAWN_SETPGROUP |
                                                       POSIX_SPAWN_SETSIGDEF |
                                                       POSIX_SPAWN_SETSIGMASK));
  std::string sh = "/bin/sh";
  std::string dash_c = "-c";
  std::string script = command;
  std::array<char*, 4> argv{sh.data(), dash_c.data(), script.data(), nullptr};
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, sh.c_str(), &actions, &attr, argv.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::posix_spawnattr_destroy(&attr);
  close_fd(in[1]);
  close_fd(out[1]);
  if (rc != 0 || !set_nonblocking(in[0]) || !set_nonblocking(out[0])) {
    close_fd(in[0]);
    close_fd(out[0]);
    if (rc == 0) {
      (void)::kill(-pid, SIGKILL);
      (void)exited_within(pid, 1000ms, true);
    }
    return Error(MediaErrc::external_subscriber, "posix_spawn /bin/sh");
  }
  return ExternalSubscriber(pid, in[0], out[0]);
}

Result<ExternalSubscriber::Message> ExternalSubscriber::parse_line(std::string_view line) {
  if (line.size() > kMaxLine) return Error(MediaErrc::external_subscriber_line, "too long");
  auto json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return Error(MediaErrc::external_subscriber_line, "not a JSON object");
  }
  auto type = json.find("type");
  if (type == json.end() || !type->is_string()) {
    return Error(MediaErrc::external_subscriber_line, "no type");
  }
  Message m;
  const auto& name = type->get_ref<const std::string&>();
  if (name == "answer") {
    auto sdp = json.find("sdp");
    if (sdp == json.end() || !sdp->is_string()) {
      return Error(MediaErrc::external_subscriber_line, "answer without sdp");
    }
    m.type = Message::Type::answer;
    m.sdp = sdp->get<std::string>();
    return m;
  }
  if (name == "rtp") {
    auto data = json.find("data");
    if (data == json.end() || !data->is_string()) {
      return Error(MediaErrc::external_subscriber_line, "rtp without data");
    }
    auto packet = from_base64(data->get_ref<const std::string&>());
    if (!packet) return Error(MediaErrc::external_subscriber_line, "rtp data is not base64");
    if (packet->empty() || packet->size() > kMaxPacket) {
      return Error(MediaErrc::external_subscriber_line, "rtp packet size");
    }
    m.type = Message::Type::rtp;
    m.packet = std::move(*packet);
    return m;
  }
  return Error(MediaErrc::external_subscriber_line, "unknown type");
}

ExternalSubscriber::ExternalSubscriber(ExternalSubscriber&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      in_fd_(std::exchange(other.in_fd_, -1)),
      out_fd_(std::exchange(other.out_fd_, -1)),
      pending_(std::move(other.pending_)),
      partial_(std::move(other.partial_)),
      discarding_(other.discarding_),
      stats_(other.stats_) {}

ExternalSubscriber& ExternalSubscriber::operator=(ExternalSubscriber&& other) noexcept {
  if (this != &other) {
    stop();
    pid_ = std::exchange(other.pid_, -1);
    in_fd_ = std::exchange(other.in_fd_, -1);
    out_fd_ = std::exchange(other.out_fd_, -1);
    pending_ = std::move(other.pending_);
    partial_ = std::move(other.partial_);
    discarding_ = other.discarding_;
    stats_ = other.stats_;
  }
  return *this;
}

ExternalSubscriber::~ExternalSubscriber() { stop(); }

Status ExternalSubscriber::queue(std::string line) {
  if (in_fd_ < 0) return Error(MediaErrc::external_subscriber, "the child's stdin is closed");
  line += '\n';
  if (pending_.size() + line.size() > kMaxPending) {
    return Error(MediaErrc::external_subscriber, "the child does not read its stdin");
  }
  pending_ += line;
  flush();
  return {};
}

Status ExternalSubscriber::send_offer(std::string_view sdp) {
  CV_TRY_STATUS(queue(nlohmann::json{{"type", "offer"}, {"sdp", sdp}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace)));
  ++stats_.offers_sent;
  return {};
}

Status ExternalSubscriber::send_key_frame_request(uint32_t media_ssrc) {
  CV_TRY_STATUS(queue(nlohmann::json{{"type", "pli"}, {"ssrc", media_ssrc}}.dump()));
  ++stats_.key_frame_requests_sent;
  return {};
}

void ExternalSubscriber::flush() {
  while (in_fd_ >= 0 && !pending_.empty()) {
    ssize_t n = ::send(in_fd_, pending_.data(), pending_.size(), MSG_NOSIGNAL);
    if (n > 0) {
      pending_.erase(0, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    } else {
      close_fd(in_fd_);  // the child is gone (EPIPE)
      pending_.clear();
    }
  }
}

void ExternalSubscriber::take_line(std::string_view line, Output& out) {
  auto m = parse_line(line);
  if (!m) {
    ++stats_.parse_errors;
    return;
  }
  if (m->type == Message::Type::answer) {
    ++stats_.answers;
    out.answers.push_back(std::move(m->sdp));
  } else {
    ++stats_.rtp_packets;
    out.rtp.push_back(std::move(m->packet));
  }
}

ExternalSubscriber::Output ExternalSubscriber::read() {
  flush();
  Output out;
  std::array<char, 64 * 1024> buffer{};
  // Bounded per call so one chatty child cannot starve the media thread.
  for (int round = 0; round < 16 && out_fd_ >= 0; ++round) {
    ssize_t n = ::recv(out_fd_, buffer.data(), buffer.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) {  // end of file or an error: the child is done
      close_fd(out_fd_);
      if (!partial_.empty() && !discarding_) ++stats_.parse_errors;  // no newline at the end
      partial_.clear();
      break;
    }
    std::string_view data(buffer.data(), static_cast<size_t>(n));
    while (!data.empty()) {
      size_t newline = data.find('\n');
      std::string_view piece = data.substr(0, newline);
      if (discarding_) {
        if (newline != std::string_view::npos) discarding_ = false;
      } else if (partial_.size() + piece.size() > kMaxLine) {
        ++stats_.parse_errors;
        partial_.clear();
        discarding_ = newline == std::string_view::npos;
      } else if (newline == std::string_view::npos) {
        partial_.append(piece);
      } else if (partial_.empty()) {
        take_line(piece, out);
      } else {
        partial_.append(piece);
        take_line(partial_, out);
        partial_.clear();
      }
      if (newline == std::string_view::npos) break;
      data.remove_prefix(newline + 1);
    }
  }
  return out;
}

void ExternalSubscriber::stop() {
  close_fd(in_fd_);
  close_fd(out_fd_);
  pending_.clear();
  partial_.clear();
  if (pid_ <= 0) return;
  pid_t pid = std::exchange(pid_, -1);
  // EOF on its stdin asks the child to finish; then the whole group ends
  // (the shell's children too), and the zombie is reaped last.
  if (!exited_within(pid, 1000ms, false)) {
    (void)::kill(-pid, SIGTERM);
    if (!exited_within(pid, 1000ms, false)) (void)::kill(-pid, SIGKILL);
  }
  (void)::kill(-pid, SIGTERM);
  (void)exited_within(pid, 5000ms, true);
}

}  // namespace conclave::client
