// MemorySink: a DatagramSink that keeps every datagram it is given, in
// order, with its destination. For work done in memory: the ICE and DTLS
// handshakes before a benchmark run, and tests that carry datagrams
// between an Sfu and its peers without sockets.
#pragma once

#include <utility>
#include <vector>

#include "conclave/sfu/sfu.h"

namespace conclave::sfu {

class MemorySink final : public DatagramSink {
 public:
  MutableBytesView reserve() override {
    buffer_.assign(kMaxDatagram, 0);
    return buffer_;
  }
  void commit(const net::TransportAddress& to, size_t size) override {
    sent.emplace_back(to, Bytes(buffer_.begin(), buffer_.begin() + static_cast<long>(size)));
  }
  // Removes and returns the datagrams sent to `to`, in order.
  std::vector<Bytes> take(const net::TransportAddress& to) {
    std::vector<Bytes> out;
    std::erase_if(sent, [&](auto& s) {
      if (!(s.first == to)) return false;
      out.push_back(std::move(s.second));
      return true;
    });
    return out;
  }

  std::vector<std::pair<net::TransportAddress, Bytes>> sent;

 private:
  Bytes buffer_;
};

}  // namespace conclave::sfu
