// Sfu: every WebRTC transport on the server's one media port, and the
// Router between them. Pure: the caller (lib/server's MediaServer) owns the
// UDP socket and the thread, passes each datagram with its source and the
// time, and sends what the Sfu writes into a DatagramSink.
//
//   datagram --classify (RFC 7983)--+
//     STUN      -> transport by USERNAME's local ufrag -> IceLite; a
//                  nomination binds the source address to the transport
//     DTLS      -> transport by address -> DTLS server -> SRTP keys
//     RTP/RTCP  -> transport by address -> SRTP unprotect (in place)
//                  -> Router (RTCP when the second byte is 192..223,
//                  RFC 5761 section 4) -> per subscriber: SRTP protect into
//                  the sink's buffer -> datagram to its selected address
//
// One transport per peer address: a participant's publish and subscribe
// transports use two sockets (browsers do this for two peer connections).
// Every datagram that is not used is dropped with a DropReason counted in
// stats(). The Sfu never holds a media key: it sees SFrame ciphertext.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/net/certificate.h"
#include "conclave/net/stun_message.h"
#include "conclave/sfu/peer_transport.h"
#include "conclave/sfu/router.h"
#include "conclave/sfu/sfu_stats.h"

namespace conclave::sfu {

// Where the Sfu writes datagrams. reserve() returns a buffer of at least
// kMaxDatagram bytes (the sink flushes itself when its batch is full);
// commit() queues the first `size` bytes for `to`.
class DatagramSink {
 public:
  static constexpr size_t kMaxDatagram = 2048;
  virtual ~DatagramSink() = default;
  virtual MutableBytesView reserve() = 0;
  virtual void commit(const net::TransportAddress& to, size_t size) = 0;
};

struct SfuEvent {
  enum class Kind : uint8_t {
    connected,       // DTLS done, SRTP keys in place
    failed,          // DTLS failed, or ICE consent expired after connecting
    active_speaker,  // participant = the meeting's loudest ("" = nobody)
  };
  Kind kind = Kind::connected;
  TransportId transport = 0;  // 0 for active_speaker
  std::string meeting;
  std::string participant;
};

struct TransportAddressHash {
  size_t operator()(const net::TransportAddress& a) const;
};

class Sfu : private RouterSink {
 public:
  using TimePoint = Clock::TimePoint;
  static constexpr Clock::Duration kTickInterval = std::chrono::milliseconds(20);

  explicit Sfu(net::Certificate certificate);
  ~Sfu() override;
  Sfu(const Sfu&) = delete;
  Sfu& operator=(const Sfu&) = delete;

  // A transport for `participant` of `meeting`, under an ID the caller
  // chooses (not 0). Errors: duplicate_transport (the ID or the local ufrag
  // is in use), the DTLS setup errors.
  Status add_transport(TransportId id, std::string meeting, std::string participant,
                       PeerTransportConfig config);
  void remove_transport(TransportId id);
  bool has_transport(TransportId id) const { return transports_.contains(id); }
  const PeerTransport* transport(TransportId id) const;

  Router& router() { return router_; }

  void handle(MutableBytesView datagram, const net::TransportAddress& from, TimePoint now,
              DatagramSink& out);
  // DTLS retransmissions, consent checks, the Router's periodic RTCP.
  // Call every kTickInterval or so.
  void on_tick(TimePoint now, DatagramSink& out);

  std::vector<SfuEvent> take_events();

  // TEST ONLY: called with every RTP/RTCP packet as the SFU holds it in
  // the clear of SRTP (inbound after unprotect, outbound before protect):
  // exactly what the server can read. The capture of the media system test.
  using Observer = std::function<void(bool outbound, BytesView packet)>;
  void set_observer(Observer observer) { observer_ = std::move(observer); }
  const SfuStats& stats() const { return stats_; }
  size_t transport_count() const { return transports_.size(); }

 private:
  struct Entry;

  Entry* by_address(const net::TransportAddress& from);
  void send_dtls(Entry& entry, DatagramSink& out);
  void send_plain(TransportId to, BytesView packet, bool rtcp);
  void check_state(Entry& entry, TimePoint now);

  // RouterSink
  void send_rtp(TransportId to, BytesView packet) override { send_plain(to, packet, false); }
  void send_rtcp(TransportId to, BytesView compound) override { send_plain(to, compound, true); }
  void active_speaker(const std::string& meeting, const std::string& participant) override;

  net::Certificate certificate_;
  SfuStats stats_;
  Router router_{stats_};
  std::unordered_map<TransportId, std::unique_ptr<Entry>> transports_;
  std::unordered_map<std::string, TransportId> by_ufrag_;
  std::unordered_map<net::TransportAddress, TransportId, TransportAddressHash> by_address_;
  std::vector<SfuEvent> events_;
  Observer observer_;
  // The sink and time of the call in progress, for the RouterSink methods.
  DatagramSink* out_ = nullptr;
  TimePoint now_{};
};

}  // namespace conclave::sfu
