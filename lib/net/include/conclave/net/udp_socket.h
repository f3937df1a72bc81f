// UdpSocket: a non-blocking UDP socket that moves datagrams in batches
// (recvmmsg/sendmmsg on Linux), for the SFU's single media port and the
// native client's media transport. The caller runs its own loop:
//
//   socket.wait(timeout)  -> readable?   (poll)
//   socket.receive(batch) -> n datagrams (one recvmmsg, never blocks)
//   ... handle each, queue replies into a SendBatch ...
//   socket.send(batch)    -> sent count  (sendmmsg; EAGAIN ends the batch)
//
// Addresses are TransportAddress (stun_message.h), the same type the ICE
// code reports, so no sockaddr leaks out of this file.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/net/errc.h"
#include "conclave/net/stun_message.h"

namespace conclave::net {

class UdpSocket;

// Received datagrams; buffers are allocated once.
class ReceiveBatch {
 public:
  static constexpr size_t kMaxDatagram = 2048;

  explicit ReceiveBatch(size_t capacity = 64);
  ~ReceiveBatch();
  ReceiveBatch(const ReceiveBatch&) = delete;
  ReceiveBatch& operator=(const ReceiveBatch&) = delete;

  size_t size() const { return count_; }
  size_t capacity() const { return capacity_; }
  // The i-th datagram, writable (SRTP is removed in place).
  MutableBytesView data(size_t i);
  const TransportAddress& from(size_t i) const { return from_[i]; }

 private:
  friend class UdpSocket;
  struct Native;
  size_t capacity_;
  size_t count_ = 0;
  std::vector<uint8_t> storage_;
  std::vector<size_t> sizes_;
  std::vector<TransportAddress> from_;
  std::unique_ptr<Native> native_;
};

// Datagrams queued for one sendmmsg; bytes are copied in.
class SendBatch {
 public:
  static constexpr size_t kMaxDatagram = 2048;

  explicit SendBatch(size_t capacity = 64);
  ~SendBatch();
  SendBatch(const SendBatch&) = delete;
  SendBatch& operator=(const SendBatch&) = delete;

  // False when the batch is full or the datagram too large.
  bool add(const TransportAddress& to, BytesView datagram);
  // A slot to fill in place (for SRTP protect): returns a buffer of
  // kMaxDatagram bytes, then commit(size) queues it. Null when full.
  MutableBytesView reserve();
  void commit(const TransportAddress& to, size_t size);

  size_t size() const { return count_; }
  bool full() const { return count_ == capacity_; }
  void clear() { count_ = 0; }

 private:
  friend class UdpSocket;
  struct Native;
  size_t capacity_;
  size_t count_ = 0;
  std::vector<uint8_t> storage_;
  std::vector<size_t> sizes_;
  std::vector<TransportAddress> to_;
  std::unique_ptr<Native> native_;
};

class UdpSocket {
 public:
  // Binds "127.0.0.1", "::1", "0.0.0.0"... ; port 0 picks a free port.
  // Errors: invalid_argument, bind_failed.
  static Result<UdpSocket> bind(const std::string& host, uint16_t port);

  UdpSocket(UdpSocket&& other) noexcept;
  UdpSocket& operator=(UdpSocket&& other) noexcept;
  ~UdpSocket();

  uint16_t port() const { return port_; }
  const TransportAddress& local_address() const { return local_; }
  int native_handle() const { return fd_; }

  // Waits until a datagram can be read or `timeout` passes; true if
  // readable. A negative timeout waits forever.
  bool wait(std::chrono::milliseconds timeout) const;
  // Fills the batch with what is queued (0 when nothing is). Errors: io_error.
  Result<size_t> receive(ReceiveBatch& batch);
  // Sends the batch and clears it; returns how many datagrams the kernel
  // took (the rest are dropped: UDP under load). Errors: io_error.
  Result<size_t> send(SendBatch& batch);
  // One datagram.
  Status send_to(const TransportAddress& to, BytesView datagram);

 private:
  UdpSocket(int fd, TransportAddress local) : fd_(fd), local_(local), port_(local.port) {}
  int fd_ = -1;
  TransportAddress local_;
  uint16_t port_ = 0;
};

}  // namespace conclave::net
