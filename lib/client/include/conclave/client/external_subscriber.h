// ExternalSubscriber: a child process that holds the subscribe transport
// for MediaEngine in tests (`conclave join --test-external-subscriber CMD`,
// needs CONCLAVE_TEST_HOSTILE=1). It lets an independent WebRTC stack (such
// as werift, interop/werift/subscriber.mjs) receive from the SFU while the
// native client still does the end-to-end part: jitter buffer, SFrame
// unprotect with the MLS keys, decode, record.
//
//   MediaEngine                    child (/bin/sh -c CMD)
//   -----------                    ----------------------
//   send_offer(sdp)   --stdin-->   {"type":"offer","sdp":"..."}\n
//   send_key_frame_request(ssrc)   {"type":"pli","ssrc":N}\n
//   read(): answers   <--stdout--  {"type":"answer","sdp":"..."}\n
//   read(): rtp       <--stdout--  {"type":"rtp","data":"<base64 RTP>"}\n
//                                  stderr: inherited (logs)
//
// The child's output is untrusted input: a line that is not one of the two
// messages (not JSON, another type, bad base64, too long) is counted in
// Stats::parse_errors and skipped, never thrown. Its stdin and stdout are
// the two ends of UNIX stream socket pairs (pipes that never raise
// SIGPIPE: writes use MSG_NOSIGNAL); our ends are non-blocking, and an
// offer the child is slow to read waits in a bounded buffer. The child
// runs in a process group of its own; the destructor closes its stdin,
// gives it a moment to exit, then ends the group (SIGTERM, then SIGKILL)
// and reaps it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"

namespace conclave::client {

class ExternalSubscriber {
 public:
  // Longest line read from the child (an answer SDP or a base64 packet).
  static constexpr size_t kMaxLine = 256 * 1024;
  // Largest RTP packet accepted from the child.
  static constexpr size_t kMaxPacket = 2048;
  // Most bytes waiting for the child's stdin before send_offer fails.
  static constexpr size_t kMaxPending = 1024 * 1024;

  struct Stats {
    uint64_t offers_sent = 0;
    uint64_t key_frame_requests_sent = 0;
    uint64_t answers = 0;
    uint64_t rtp_packets = 0;
    uint64_t parse_errors = 0;
  };

  // What read() found since the last call, in order of kind.
  struct Output {
    std::vector<std::string> answers;  // answer SDPs, in the order received
    std::vector<Bytes> rtp;            // whole RTP packets (not yet parsed)
  };

  // One line of the child's output.
  struct Message {
    enum class Type { answer, rtp };
    Type type = Type::answer;
    std::string sdp;  // answer
    Bytes packet;     // rtp
  };

  // Starts `/bin/sh -c command`. Errors: MediaErrc::external_subscriber
  // (socketpair or posix_spawn failed).
  static Result<ExternalSubscriber> spawn(const std::string& command);

  // Parses one line (without its newline). Errors:
  // MediaErrc::external_subscriber_line.
  static Result<Message> parse_line(std::string_view line);

  ExternalSubscriber(ExternalSubscriber&& other) noexcept;
  ExternalSubscriber& operator=(ExternalSubscriber&& other) noexcept;
  ExternalSubscriber(const ExternalSubscriber&) = delete;
  ExternalSubscriber& operator=(const ExternalSubscriber&) = delete;
  ~ExternalSubscriber();

  // Queues {"type":"offer","sdp":...} for the child and writes what it
  // can now. Errors: MediaErrc::external_subscriber (the child is gone or
  // kMaxPending would be exceeded).
  Status send_offer(std::string_view sdp);
  // Queues {"type":"pli","ssrc":media_ssrc}: the child should send a PLI
  // for that stream to the SFU. Errors as send_offer.
  Status send_key_frame_request(uint32_t media_ssrc);
  // Writes queued input, then reads whatever the child has written
  // (never blocks).
  Output read();
  // The descriptor to poll for POLLIN (the child's stdout); -1 once the
  // child closed it.
  int output_fd() const { return out_fd_; }
  // True once the child closed its stdout (it exited or gave up).
  bool closed() const { return out_fd_ < 0; }
  const Stats& stats() const { return stats_; }
  pid_t pid() const { return pid_; }

  // Closes the child's stdin, waits up to 1 s for it to exit, then ends
  // its process group and reaps it. Idempotent; the destructor calls it.
  void stop();

 private:
  ExternalSubscriber(pid_t pid, int in_fd, int out_fd) : pid_(pid), in_fd_(in_fd), out_fd_(out_fd) {}
  Status queue(std::string line);
  void flush();
  void take_line(std::string_view line, Output& out);

  pid_t pid_ = -1;
  int in_fd_ = -1;   // our end of the child's stdin
  int out_fd_ = -1;  // our end of the child's stdout
  std::string pending_;  // queued for the child's stdin
  std::string partial_;  // an incomplete line from the child
  bool discarding_ = false;  // inside an over-long line: skip to its newline
  Stats stats_;
};

}  // namespace conclave::client
