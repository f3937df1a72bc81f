#include "conclave/server/media_server.h"

#include <algorithm>
#include <cstdio>
#include <random>

namespace conclave::server {
namespace {

// TEST ONLY loss: true for `fraction` of the RTP/RTCP datagrams.
class Loss {
 public:
  explicit Loss(const std::atomic<double>& fraction) : fraction_(fraction) {}
  bool drop(BytesView datagram) {
    double f = fraction_.load(std::memory_order_relaxed);
    if (f <= 0 || datagram.empty() || net::classify(datagram[0]) != net::PacketKind::rtp_rtcp) {
      return false;
    }
    return std::uniform_real_distribution<double>(0, 1)(rng_) < f;
  }

 private:
  const std::atomic<double>& fraction_;
  std::minstd_rand rng_{std::random_device{}()};
};

// The Sfu writes into the batch; a full batch is flushed to the socket.
class BatchSink final : public sfu::DatagramSink {
 public:
  BatchSink(net::UdpSocket& socket, net::SendBatch& batch, Loss& loss, uint64_t& lost)
      : socket_(socket), batch_(batch), loss_(loss), lost_(lost) {}

  MutableBytesView reserve() override {
    if (batch_.full()) flush();
    return batch_.reserve();
  }
  void commit(const net::TransportAddress& to, size_t size) override {
    if (loss_.drop(batch_.reserve().first(size))) {
      ++lost_;
      return;
    }
    batch_.commit(to, size);
  }
  void flush() {
    if (batch_.size() > 0) (void)socket_.send(batch_);
  }

 private:
  net::UdpSocket& socket_;
  net::SendBatch& batch_;
  Loss& loss_;
  uint64_t& lost_;
};

// Capture record: direction ('i' to the server, 'o' from it), length (2
// bytes, big-endian), the packet.
void write_capture(std::FILE* f, char direction, BytesView data) {
  uint8_t header[3] = {static_cast<uint8_t>(direction), static_cast<uint8_t>(data.size() >> 8),
                       static_cast<uint8_t>(data.size())};
  std::fwrite(header, 1, sizeof(header), f);
  std::fwrite(data.data(), 1, data.size(), f);
}

}  // namespace

Result<std::unique_ptr<MediaServer>> MediaServer::start(const std::string& host, uint16_t port,
                                                        net::Certificate certificate,
                                                        const Clock& clock,
                                                        EventHandler on_event) {
  CV_TRY(auto socket, net::UdpSocket::bind(host, port));
  auto server = std::unique_ptr<MediaServer>(new MediaServer(
      std::move(socket), host, std::move(certificate), clock, std::move(on_event)));
  MediaServer* self = server.get();
  server->thread_ = std::thread([self] { self->run(); });
  return server;
}

MediaServer::MediaServer(net::UdpSocket socket, std::string host, net::Certificate certificate,
                         const Clock& clock, EventHandler on_event)
    : socket_(std::move(socket)),
      host_(std::move(host)),
      port_(socket_.port()),
      clock_(clock),
      on_event_(std::move(on_event)),
      sfu_(std::move(certificate)) {}

MediaServer::~MediaServer() { stop(); }

void MediaServer::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void MediaServer::post(std::function<void(sfu::Sfu&)> command) {
  std::lock_guard lock(mutex_);
  commands_.push_back(std::move(command));
}

sfu::SfuStats MediaServer::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void MediaServer::set_loss(double fraction) { loss_ = std::clamp(fraction, 0.0, 0.5); }

void MediaServer::set_capture(std::string path) {
  std::lock_guard lock(mutex_);
  capture_path_ = std::move(path);
}

void MediaServer::run() {
  net::ReceiveBatch in(64);
  net::SendBatch out(128);
  std::FILE* capture = nullptr;
  Loss loss(loss_);
  uint64_t lost = 0;
  BatchSink sink(socket_, out, loss, lost);
  Clock::TimePoint last_tick = clock_.now();
  while (!stopping_) {
    std::vector<std::function<void(sfu::Sfu&)>> commands;
    {
      std::lock_guard lock(mutex_);
      commands.swap(commands_);
      if (!capture && !capture_path_.empty()) {
        capture = std::fopen(capture_path_.c_str(), "ab");
        if (capture) {
          sfu_.set_observer([capture](bool outbound, BytesView packet) {
            write_capture(capture, outbound ? 'o' : 'i', packet);
          });
        }
      }
    }
    for (auto& command : commands) command(sfu_);

    if (socket_.wait(std::chrono::milliseconds(10))) {
      // Drain what is queued, a bounded number of batches per turn so that
      // ticks and commands keep running under load.
      for (int round = 0; round < 16; ++round) {
        auto n = socket_.receive(in);
        if (!n || *n == 0) break;
        Clock::TimePoint now = clock_.now();
        for (size_t i = 0; i < *n; ++i) {
          if (loss.drop(in.data(i))) {
            ++lost;
            continue;
          }
          sfu_.handle(in.data(i), in.from(i), now, sink);
        }
        sink.flush();
      }
    }
    Clock::TimePoint now = clock_.now();
    if (now - last_tick >= sfu::Sfu::kTickInterval) {
      last_tick = now;
      sfu_.on_tick(now, sink);
      sink.flush();
      for (auto& event : sfu_.take_events()) {
        if (on_event_) on_event_(std::move(event));
      }
      std::lock_guard lock(mutex_);
      stats_ = sfu_.stats();
      stats_.dropped[static_cast<size_t>(sfu::DropReason::test_loss)] += lost;
    }
  }
  sfu_.set_observer(nullptr);
  if (capture) std::fclose(capture);
}

}  // namespace conclave::server
