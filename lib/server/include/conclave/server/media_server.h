// MediaServer: the SFU's thread and its one UDP port.
//
//   media thread:  poll(socket, 20 ms) -> recvmmsg batch -> Sfu::handle each
//                  -> SendBatch -> sendmmsg; every 20 ms Sfu::on_tick;
//                  commands posted by the signaling thread run between
//                  batches; Sfu events go to the event handler.
//
// The signaling thread never touches the Sfu directly: it post()s a
// command, which runs on the media thread in order. stats() is a snapshot
// the media thread refreshes every tick, for the metrics endpoint.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/net/certificate.h"
#include "conclave/net/udp_socket.h"
#include "conclave/sfu/sfu.h"

namespace conclave::server {

class MediaServer {
 public:
  using EventHandler = std::function<void(sfu::SfuEvent)>;

  // Binds host:port (0 = any free port) and starts the media thread.
  // `on_event` runs on the media thread. `clock` must outlive the server.
  static Result<std::unique_ptr<MediaServer>> start(const std::string& host, uint16_t port,
                                                    net::Certificate certificate,
                                                    const Clock& clock, EventHandler on_event);
  ~MediaServer();
  MediaServer(const MediaServer&) = delete;
  MediaServer& operator=(const MediaServer&) = delete;

  uint16_t port() const { return port_; }
  const std::string& host() const { return host_; }

  // Runs `command` on the media thread, after the datagrams in hand.
  void post(std::function<void(sfu::Sfu&)> command);
  sfu::SfuStats stats() const;
  // Stops the thread (also done by the destructor).
  void stop();

  // TEST ONLY: every RTP/RTCP packet as the SFU sees it once SRTP is off
  // (what the server can read), appended to `path`: per packet a direction
  // byte ('i' received, 'o' sent), a 2-byte big-endian length, the bytes.
  void set_capture(std::string path);
  // TEST ONLY: drop this fraction (0..0.5) of the RTP/RTCP datagrams the
  // port receives and of those it sends, at random (counted as test_loss).
  void set_loss(double fraction);

 private:
  MediaServer(net::UdpSocket socket, std::string host, net::Certificate certificate,
              const Clock& clock, EventHandler on_event);
  void run();

  net::UdpSocket socket_;
  std::string host_;
  uint16_t port_;
  const Clock& clock_;
  EventHandler on_event_;
  sfu::Sfu sfu_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;  // guards commands_, stats_, capture_path_
  std::vector<std::function<void(sfu::Sfu&)>> commands_;
  sfu::SfuStats stats_;
  std::string capture_path_;
  std::atomic<double> loss_{0.0};
  std::thread thread_;
};

}  // namespace conclave::server
