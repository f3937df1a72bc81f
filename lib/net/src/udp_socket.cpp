#include "conclave/net/udp_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace conclave::net {
namespace {

socklen_t to_sockaddr(const TransportAddress& a, sockaddr_storage& out) {
  std::memset(&out, 0, sizeof(out));
  if (a.family == TransportAddress::Family::ipv4) {
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_port = htons(a.port);
    std::memcpy(&sin.sin_addr, a.ip.data(), 4);
    std::memcpy(&out, &sin, sizeof(sin));
    return sizeof(sockaddr_in);
  }
  sockaddr_in6 sin6{};
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(a.port);
  std::memcpy(&sin6.sin6_addr, a.ip.data(), 16);
  std::memcpy(&out, &sin6, sizeof(sin6));
  return sizeof(sockaddr_in6);
}

TransportAddress from_sockaddr(const sockaddr_storage& s) {
  if (s.ss_family == AF_INET) {
    sockaddr_in sin;
    std::memcpy(&sin, &s, sizeof(sin));
    std::array<uint8_t, 4> ip{};
    std::memcpy(ip.data(), &sin.sin_addr, 4);
    return TransportAddress::ipv4(ip, ntohs(sin.sin_port));
  }
  sockaddr_in6 sin6;
  std::memcpy(&sin6, &s, sizeof(sin6));
  std::array<uint8_t, 16> ip{};
  std::memcpy(ip.data(), &sin6.sin6_addr, 16);
  return TransportAddress::ipv6(ip, ntohs(sin6.sin6_port));
}

}  // namespace

struct ReceiveBatch::Native {
  std::vector<mmsghdr> headers;
  std::vector<iovec> iovecs;
  std::vector<sockaddr_storage> addresses;
};

ReceiveBatch::ReceiveBatch(size_t capacity)
    : capacity_(capacity == 0 ? 1 : capacity),
      storage_(capacity_ * kMaxDatagram),
      sizes_(capacity_),
      from_(capacity_),
      native_(std::make_unique<Native>()) {
  native_->headers.resize(capacity_);
  native_->iovecs.resize(capacity_);
  native_->addresses.resize(capacity_);
}
ReceiveBatch::~ReceiveBatch() = default;

MutableBytesView ReceiveBatch::data(size_t i) {
  return MutableBytesView(&storage_[i * kMaxDatagram], sizes_[i]);
}

struct SendBatch::Native {
  std::vector<mmsghdr> headers;
  std::vector<iovec> iovecs;
  std::vector<sockaddr_storage> addresses;
};

SendBatch::SendBatch(size_t capacity)
    : capacity_(capacity == 0 ? 1 : capacity),
      storage_(capacity_ * kMaxDatagram),
      sizes_(capacity_),
      to_(capacity_),
      native_(std::make_unique<Native>()) {
  native_->headers.resize(capacity_);
  native_->iovecs.resize(capacity_);
  native_->addresses.resize(capacity_);
}
SendBatch::~SendBatch() = default;

bool SendBatch::add(const TransportAddress& to, BytesView datagram) {
  if (count_ == capacity_ || datagram.size() > kMaxDatagram) return false;
  if (!datagram.empty()) std::memcpy(&storage_[count_ * kMaxDatagram], datagram.data(), datagram.size());
  sizes_[count_] = datagram.size();
  to_[count_] = to;
  ++count_;
  return true;
}

MutableBytesView SendBatch::reserve() {
  if (count_ == capacity_) return {};
  return MutableBytesView(&storage_[count_ * kMaxDatagram], kMaxDatagram);
}

void SendBatch::commit(const TransportAddress& to, size_t size) {
  if (count_ == capacity_ || size > kMaxDatagram) return;
  sizes_[count_] = size;
  to_[count_] = to;
  ++count_;
}

Result<UdpSocket> UdpSocket::bind(const std::string& host, uint16_t port) {
  TransportAddress local;
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    std::array<uint8_t, 4> ip{};
    std::memcpy(ip.data(), &v4, 4);
    local = TransportAddress::ipv4(ip, port);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    std::array<uint8_t, 16> ip{};
    std::memcpy(ip.data(), &v6, 16);
    local = TransportAddress::ipv6(ip, port);
  } else if (host == "localhost") {
    local = TransportAddress::ipv4({127, 0, 0, 1}, port);
  } else {
    return Error(Errc::invalid_argument, "media address");
  }
  int family = local.family == TransportAddress::Family::ipv4 ? AF_INET : AF_INET6;
  int fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error(Errc::bind_failed, "socket");
  // Room for bursts: a video key frame to 50 subscribers is ~2,000 packets.
  int size = 4 * 1024 * 1024;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
  sockaddr_storage addr;
  socklen_t len = to_sockaddr(local, addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0) {
    ::close(fd);
    return Error(Errc::bind_failed, "bind");
  }
  sockaddr_storage bound{};
  socklen_t bound_len = sizeof(bound);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_len) != 0) {
    ::close(fd);
    return Error(Errc::bind_failed, "getsockname");
  }
  return UdpSocket(fd, from_sockaddr(bound));
}

UdpSocket::UdpSocket(UdpSocket&& other) noexcept
    : fd_(other.fd_), local_(other.local_), port_(other.port_) {
  other.fd_ = -1;
}

UdpSocket& UdpSocket::operator=(UdpSocket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    local_ = other.local_;
    port_ = other.port_;
    other.fd_ = -1;
  }
  return *this;
}

UdpSocket::~UdpSocket() {
  if (fd_ >= 0) ::close(fd_);
}

bool UdpSocket::wait(std::chrono::milliseconds timeout) const {
  pollfd p{fd_, POLLIN, 0};
  int ms = timeout.count() < 0 ? -1 : static_cast<int>(std::min<int64_t>(timeout.count(), 1 << 30));
  int r = ::poll(&p, 1, ms);
  return r > 0 && (p.revents & POLLIN);
}

Result<size_t> UdpSocket::receive(ReceiveBatch& batch) {
  auto& n = *batch.native_;
  for (size_t i = 0; i < batch.capacity_; ++i) {
    n.iovecs[i] = {&batch.storage_[i * ReceiveBatch::kMaxDatagram], ReceiveBatch::kMaxDatagram};
    std::memset(&n.headers[i], 0, sizeof(mmsghdr));
    n.headers[i].msg_hdr.msg_iov = &n.iovecs[i];
    n.headers[i].msg_hdr.msg_iovlen = 1;
    n.headers[i].msg_hdr.msg_name = &n.addresses[i];
    n.headers[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
  }
  batch.count_ = 0;
  int r = ::recvmmsg(fd_, n.headers.data(), static_cast<unsigned>(batch.capacity_),
                     MSG_DONTWAIT, nullptr);
  if (r < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return size_t{0};
    return Error(Errc::io_error, "recvmmsg");
  }
  for (size_t i = 0; i < static_cast<size_t>(r); ++i) {
    // A datagram larger than the buffer is truncated: report it empty so
    // that the caller drops it as unknown.
    bool truncated = (n.headers[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
    batch.sizes_[i] = truncated ? 0 : n.headers[i].msg_len;
    batch.from_[i] = from_sockaddr(n.addresses[i]);
  }
  batch.count_ = static_cast<size_t>(r);
  return batch.count_;
}

Result<size_t> UdpSocket::send(SendBatch& batch) {
  auto& n = *batch.native_;
  size_t total = batch.count_;
  for (size_t i = 0; i < total; ++i) {
    n.iovecs[i] = {&batch.storage_[i * SendBatch::kMaxDatagram], batch.sizes_[i]};
    std::memset(&n.headers[i], 0, sizeof(mmsghdr));
    n.headers[i].msg_hdr.msg_iov = &n.iovecs[i];
    n.headers[i].msg_hdr.msg_iovlen = 1;
    n.headers[i].msg_hdr.msg_name = &n.addresses[i];
    n.headers[i].msg_hdr.msg_namelen = to_sockaddr(batch.to_[i], n.addresses[i]);
  }
  size_t sent = 0;
  while (sent < total) {
    int r = ::sendmmsg(fd_, n.headers.data() + sent, static_cast<unsigned>(total - sent), 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      // One bad destination (EINVAL, ENETUNREACH...): skip it, keep going.
      if (sent + 1 < total && (errno == EINVAL || errno == ENETUNREACH || errno == EPERM ||
                               errno == EHOSTUNREACH || errno == ECONNREFUSED)) {
        ++sent;
        continue;
      }
      batch.count_ = 0;
      if (sent == 0 && errno != ECONNREFUSED) return Error(Errc::io_error, "sendmmsg");
      return sent;
    }
    sent += static_cast<size_t>(r);
  }
  batch.count_ = 0;
  return sent;
}

Status UdpSocket::send_to(const TransportAddress& to, BytesView datagram) {
  sockaddr_storage addr;
  socklen_t len = to_sockaddr(to, addr);
  ssize_t r = ::sendto(fd_, datagram.data(), datagram.size(), 0,
                       reinterpret_cast<sockaddr*>(&addr), len);
  if (r < 0) return Error(Errc::io_error, "sendto");
  return {};
}

}  // namespace conclave::net
