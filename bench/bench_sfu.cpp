// bench-sfu: how fast the SFU forwards, against the raw limit of the same
// machine measured in the same run.
//
// One publisher fans out to 1, 10 and 50 subscribers over loopback UDP:
//   raw  a forwarder that only moves bytes: recvmmsg a batch, copy each
//        datagram to every subscriber, sendmmsg (no SRTP, no parsing)
//   sfu  conclave's Sfu (lib/sfu) on the same sockets: every datagram is
//        SRTP-unprotected, parsed, routed (extension IDs rewritten, cached
//        for NACKs) and SRTP-protected again per subscriber, with real
//        DTLS-SRTP keys (AES-128-GCM) negotiated before the run
// The forwarder runs on its own thread; its CPU time (CLOCK_THREAD_CPUTIME_ID)
// gives forwarded packets per second per core, so the publisher and the
// subscriber threads sharing the machine do not distort the figure.
//
// Two phases per case:
//   throughput  the publisher sends as fast as the window allows (at most
//               kWindow packets in flight towards subscriber 0)
//   latency     1,000 packets paced at 1 per ms; the one-way time from the
//               publisher's send to subscriber 0's receive, p50/p99, for the
//               sfu path and the raw path (the difference is what the SFU adds)
// The ratio sfu/raw of forwarded packets per core is printed last.
//
// Usage: bench-sfu [--subscribers 1,10,50] [--packets N] [--size BYTES]
// A benchmark, not a test: it prints numbers and never fails on a time.
#include <poll.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "conclave/base/clock.h"
#include "conclave/crypto/random.h"
#include "conclave/net/dtls_transport.h"
#include "conclave/net/srtp_session.h"
#include "conclave/net/udp_socket.h"
#include "conclave/rtp/rtp_packet_builder.h"
#include "conclave/sfu/memory_sink.h"
#include "conclave/sfu/sfu.h"

namespace {

using namespace conclave;
using SteadyClock = std::chrono::steady_clock;

constexpr uint32_t kSsrc = 0x5eed;
constexpr size_t kWindow = 512;
constexpr uint8_t kDdId = 5, kAbsId = 4, kTccId = 3;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "bench-sfu: %s failed\n", what);
    std::exit(1);
  }
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             SteadyClock::now().time_since_epoch()).count();
}

// A publisher packet: RTP with the extensions a browser sends on video,
// the send time in the first 8 payload bytes.
Bytes make_packet(uint16_t seq, size_t payload_size) {
  Bytes payload(payload_size, 0xab);
  int64_t t = now_ns();
  std::memcpy(payload.data(), &t, sizeof(t));
  rtp::RtpPacketBuilder b;
  b.set_ssrc(kSsrc).set_payload_type(96).set_sequence_number(seq).set_timestamp(seq * 3000u);
  b.add_extension(kDdId, Bytes{0xc0, static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq)});
  b.add_extension(kAbsId, Bytes{1, 2, 3});
  b.add_extension(kTccId, Bytes{static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq)});
  b.set_payload(payload);
  return *b.build();
}

// Send time of a received (plain) packet.
int64_t sent_at(BytesView plain) {
  auto p = rtp::RtpPacket::parse(plain);
  if (!p || p->payload().size() < 8) return 0;
  int64_t t = 0;
  std::memcpy(&t, p->payload().data(), sizeof(t));
  return t;
}

struct Peer {
  net::UdpSocket socket;
  std::optional<net::SrtpSession> in;
  std::optional<net::SrtpSession> out;
};

struct RunResult {
  uint64_t forwarded = 0;
  double cpu_seconds = 0;
  double wall_seconds = 0;
  std::vector<double> latency_us;
  double per_core() const { return cpu_seconds > 0 ? static_cast<double>(forwarded) / cpu_seconds : 0; }
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

// The forwarder under test: raw or the Sfu.
class Forwarder {
 public:
  virtual ~Forwarder() = default;
  // Handles one received batch; appends to `out`, flushing as needed.
  virtual void handle(net::ReceiveBatch& in, net::SendBatch& out, net::UdpSocket& socket) = 0;
  virtual uint64_t forwarded() const = 0;
};

class RawForwarder final : public Forwarder {
 public:
  explicit RawForwarder(std::vector<net::TransportAddress> subscribers)
      : subscribers_(std::move(subscribers)) {}
  void handle(net::ReceiveBatch& in, net::SendBatch& out, net::UdpSocket& socket) override {
    for (size_t i = 0; i < in.size(); ++i) {
      for (const auto& to : subscribers_) {
        if (out.full()) (void)socket.send(out);
        out.add(to, in.data(i));
        ++forwarded_;
      }
    }
    (void)socket.send(out);
  }
  uint64_t forwarded() const override { return forwarded_; }

 private:
  std::vector<net::TransportAddress> subscribers_;
  uint64_t forwarded_ = 0;
};

class BatchSink final : public sfu::DatagramSink {
 public:
  BatchSink(net::SendBatch& out, net::UdpSocket& socket) : out_(out), socket_(socket) {}
  MutableBytesView reserve() override {
    if (out_.full()) (void)socket_.send(out_);
    return out_.reserve();
  }
  void commit(const net::TransportAddress& to, size_t size) override { out_.commit(to, size); }

 private:
  net::SendBatch& out_;
  net::UdpSocket& socket_;
};

class SfuForwarder final : public Forwarder {
 public:
  explicit SfuForwarder(std::unique_ptr<sfu::Sfu> sfu) : sfu_(std::move(sfu)) {}
  void handle(net::ReceiveBatch& in, net::SendBatch& out, net::UdpSocket& socket) override {
    BatchSink sink(out, socket);
    auto now = clock_.now();
    for (size_t i = 0; i < in.size(); ++i) sfu_->handle(in.data(i), in.from(i), now, sink);
    (void)socket.send(out);
  }
  uint64_t forwarded() const override { return sfu_->stats().rtp_forwarded; }
  sfu::Sfu& sfu() { return *sfu_; }

 private:
  std::unique_ptr<sfu::Sfu> sfu_;
  conclave::SteadyClock clock_;
};

// ICE and DTLS between `peer` and a new transport of the Sfu, in memory
// but under the peer socket's real address.
void connect(sfu::Sfu& sfu, sfu::TransportId id, Peer& peer, const net::Certificate& server_cert,
             const std::string& participant) {
  auto cert = net::Certificate::generate_self_signed();
  require(cert.ok(), "certificate");
  std::string ufrag = "u" + participant, pwd = "bench-password-" + participant + "-padding";
  require(sfu.add_transport(id, "bench", participant,
                            {ufrag, SecretBytes(as_bytes(pwd)), "peer", cert->fingerprint()})
              .ok(),
          "add_transport");
  auto dtls = net::DtlsTransport::create(net::DtlsRole::client, *cert, server_cert.fingerprint());
  require(dtls.ok(), "dtls");
  auto t = conclave::SteadyClock().now();
  sfu::MemorySink sink;
  net::StunTransactionId tid{};
  crypto::random_bytes(tid);
  net::StunMessageBuilder b(net::StunMethod::binding, net::StunClass::request, tid);
  b.add_username(ufrag + ":peer").add_priority(1).add_ice_controlling(7).add_use_candidate();
  b.add_message_integrity(as_bytes(pwd)).add_fingerprint();
  Bytes request = std::move(b).bytes();
  sfu.handle(request, peer.socket.local_address(), t, sink);
  require(dtls->start(t).ok(), "dtls start");
  for (int round = 0; round < 10 && dtls->state() != net::DtlsState::connected; ++round) {
    for (Bytes& d : dtls->take_outgoing()) sfu.handle(d, peer.socket.local_address(), t, sink);
    for (auto& [to, d] : sink.sent) (void)dtls->handle(d, t);
    sink.sent.clear();
  }
  require(dtls->state() == net::DtlsState::connected, "handshake");
  for (Bytes& d : dtls->take_outgoing()) sfu.handle(d, peer.socket.local_address(), t, sink);
  auto profile = *dtls->srtp_profile();
  peer.in.emplace(*net::SrtpSession::inbound(profile, *dtls->remote_master()));
  peer.out.emplace(*net::SrtpSession::outbound(profile, *dtls->local_master()));
}

RunResult run(Forwarder& forwarder, net::UdpSocket& server, Peer& publisher,
           std::vector<Peer>& subscribers, size_t packets, size_t size, bool paced, bool srtp,
           size_t first_seq = 0) {
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> sent{0};
  std::atomic<uint64_t> received0{0};
  RunResult result;

  std::thread forwarding([&] {
    net::ReceiveBatch in(64);
    net::SendBatch out(256);
    double cpu = 0;
    while (!stop) {
      if (!server.wait(std::chrono::milliseconds(5))) continue;
      double start = thread_cpu_seconds();
      while (true) {
        auto n = server.receive(in);
        if (!n || *n == 0) break;
        forwarder.handle(in, out, server);
      }
      cpu += thread_cpu_seconds() - start;
    }
    result.cpu_seconds = cpu;
  });

  std::thread receiving([&] {
    std::vector<pollfd> fds;
    for (auto& s : subscribers) fds.push_back({s.socket.native_handle(), POLLIN, 0});
    net::ReceiveBatch in(64);
    while (!stop) {
      if (::poll(fds.data(), fds.size(), 5) <= 0) continue;
      for (size_t k = 0; k < subscribers.size(); ++k) {
        if (!(fds[k].revents & POLLIN)) continue;
        auto n = subscribers[k].socket.receive(in);
        if (!n) continue;
        if (k != 0) continue;
        for (size_t i = 0; i < *n; ++i) {
          MutableBytesView d = in.data(i);
          size_t len = d.size();
          if (srtp) {
            auto plain = subscribers[0].in->unprotect_rtp(d, d.size());
            if (!plain) continue;
            len = *plain;
          }
          if (paced) {
            int64_t t = sent_at(BytesView(d).first(len));
            if (t) result.latency_us.push_back(static_cast<double>(now_ns() - t) / 1000.0);
          }
          received0.fetch_add(1);
        }
      }
    }
  });

  auto wall_start = SteadyClock::now();
  net::SendBatch out(32);
  for (size_t i = 0; i < packets; ++i) {
    if (paced) {
      std::this_thread::sleep_until(wall_start + std::chrono::microseconds(1000 * i));
    } else {
      // Keep at most kWindow packets in flight towards subscriber 0 (a
      // bounded wait: a lost packet must not stall the run).
      auto waited = SteadyClock::now();
      while (sent.load() - received0.load() > kWindow &&
             SteadyClock::now() - waited < std::chrono::milliseconds(20)) {
        std::this_thread::yield();
      }
    }
    Bytes packet = make_packet(static_cast<uint16_t>(first_seq + i), size);
    size_t len = packet.size();
    if (srtp) {
      packet.resize(len + net::SrtpSession::kMaxTrailer);
      auto protected_len = publisher.out->protect_rtp(packet, len);
      require(protected_len.ok(), "protect");
      packet.resize(*protected_len);
    }
    out.add(server.local_address(), packet);
    if (out.full() || paced) (void)publisher.socket.send(out);
    sent.fetch_add(1);
  }
  (void)publisher.socket.send(out);
  // Let the pipeline drain.
  auto drain = SteadyClock::now();
  while (received0.load() < sent.load() &&
         SteadyClock::now() - drain < std::chrono::milliseconds(500)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  forwarding.join();
  receiving.join();
  result.wall_seconds = std::chrono::duration<double>(SteadyClock::now() - wall_start).count();
  result.forwarded = forwarder.forwarded();
  return result;
}

std::vector<size_t> parse_list(const char* s) {
  std::vector<size_t> out;
  std::string text(s);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t comma = text.find(',', pos);
    out.push_back(std::stoul(text.substr(pos, comma - pos)));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<size_t> fanouts = {1, 10, 50};
  size_t packets = 100000;
  size_t size = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--subscribers") fanouts = parse_list(argv[i + 1]);
    if (flag == "--packets") packets = std::stoul(argv[i + 1]);
    if (flag == "--size") size = std::stoul(argv[i + 1]);
  }
  std::printf("bench-sfu: one publisher, %zu-byte RTP payloads (DD, abs-send-time and\n"
              "transport-cc extensions), loopback UDP, forwarder on its own thread\n\n",
              size);
  std::printf("%-5s %-4s %12s %10s %14s %12s %12s\n", "subs", "path", "forwarded", "cpu s",
              "pkts/s/core", "lat p50 us", "lat p99 us");
  double ratio_sum = 0;
  int ratio_count = 0;
  for (size_t n : fanouts) {
    // Fewer input packets for larger fan-outs: about the same output.
    size_t input = std::max<size_t>(2000, packets / n);
    RunResult raw_result, sfu_result, raw_lat, sfu_lat;
    {
      auto server = net::UdpSocket::bind("127.0.0.1", 0);
      require(server.ok(), "bind");
      Peer publisher{*net::UdpSocket::bind("127.0.0.1", 0), {}, {}};
      std::vector<Peer> subscribers;
      std::vector<net::TransportAddress> addresses;
      for (size_t k = 0; k < n; ++k) {
        subscribers.push_back({*net::UdpSocket::bind("127.0.0.1", 0), {}, {}});
        addresses.push_back(subscribers.back().socket.local_address());
      }
      RawForwarder raw(addresses);
      raw_result = run(raw, *server, publisher, subscribers, input, size, false, false);
      RawForwarder raw2(addresses);
      raw_lat = run(raw2, *server, publisher, subscribers, 1000, size, true, false, input);
    }
    {
      auto server = net::UdpSocket::bind("127.0.0.1", 0);
      require(server.ok(), "bind");
      auto cert = net::Certificate::generate_self_signed();
      require(cert.ok(), "server certificate");
      auto sfu = std::make_unique<sfu::Sfu>(*cert);
      Peer publisher{*net::UdpSocket::bind("127.0.0.1", 0), {}, {}};
      connect(*sfu, 1, publisher, *cert, "publisher");
      sfu::ExtensionIds ids{.audio_level = 0, .mid = 0, .transport_cc = kTccId,
                            .abs_send_time = kAbsId, .dependency_descriptor = kDdId};
      require(sfu->router().add_track(1, {kSsrc, sfu::TrackKind::video, 90000, 96, "0", ids}).ok(),
              "add_track");
      std::vector<Peer> subscribers;
      for (size_t k = 0; k < n; ++k) {
        subscribers.push_back({*net::UdpSocket::bind("127.0.0.1", 0), {}, {}});
        auto id = static_cast<sfu::TransportId>(k + 2);
        connect(*sfu, id, subscribers.back(), *cert, "s" + std::to_string(k));
        require(sfu->router().subscribe(id, 1, kSsrc).ok(), "subscribe");
      }
      SfuForwarder forwarder(std::move(sfu));
      sfu_result = run(forwarder, *server, publisher, subscribers, input, size, false, true);
      uint64_t before = forwarder.forwarded();
      sfu_lat = run(forwarder, *server, publisher, subscribers, 1000, size, true, true, input);
      sfu_lat.forwarded -= before;
      const auto& stats = forwarder.sfu().stats();
      if (stats.total_drops() > 0) {
        std::printf("      (sfu drops:");
        for (size_t r = 0; r < sfu::kDropReasonCount; ++r) {
          if (stats.dropped[r]) {
            std::printf(" %s=%llu", std::string(sfu::to_string(static_cast<sfu::DropReason>(r))).c_str(),
                        static_cast<unsigned long long>(stats.dropped[r]));
          }
        }
        std::printf(")\n");
      }
    }
    std::printf("%-5zu %-4s %12llu %10.3f %14.0f %12.0f %12.0f\n", n, "raw",
                static_cast<unsigned long long>(raw_result.forwarded), raw_result.cpu_seconds,
                raw_result.per_core(), percentile(raw_lat.latency_us, 0.5),
                percentile(raw_lat.latency_us, 0.99));
    std::printf("%-5zu %-4s %12llu %10.3f %14.0f %12.0f %12.0f\n", n, "sfu",
                static_cast<unsigned long long>(sfu_result.forwarded), sfu_result.cpu_seconds,
                sfu_result.per_core(), percentile(sfu_lat.latency_us, 0.5),
                percentile(sfu_lat.latency_us, 0.99));
    double ratio = raw_result.per_core() > 0 ? sfu_result.per_core() / raw_result.per_core() : 0;
    std::printf("%-5zu ratio sfu/raw %.2f; latency added p50 %.0f us, p99 %.0f us\n\n", n, ratio,
                percentile(sfu_lat.latency_us, 0.5) - percentile(raw_lat.latency_us, 0.5),
                percentile(sfu_lat.latency_us, 0.99) - percentile(raw_lat.latency_us, 0.99));
    ratio_sum += ratio;
    ++ratio_count;
  }
  std::printf("ratio (sfu / raw forwarded packets per core, mean over fan-outs): %.2f\n",
              ratio_count ? ratio_sum / ratio_count : 0.0);
  return 0;
}
