#include "conclave/net/dtls_transport.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>

namespace conclave::net {

std::string_view error_domain(DtlsErrc) { return "dtls"; }

std::string_view error_message(DtlsErrc e) {
  switch (e) {
    case DtlsErrc::setup_failed: return "DTLS setup failed";
    case DtlsErrc::invalid_argument: return "invalid DTLS option";
    case DtlsErrc::bad_state: return "not valid in the transport's state";
    case DtlsErrc::not_dtls: return "not a DTLS datagram";
    case DtlsErrc::handshake_failed: return "DTLS handshake failed";
    case DtlsErrc::fingerprint_mismatch:
      return "peer certificate does not match the fingerprint from its SDP";
    case DtlsErrc::no_srtp_profile: return "no common SRTP protection profile";
    case DtlsErrc::timeout: return "DTLS handshake timed out";
    case DtlsErrc::protocol_error: return "DTLS protocol error";
    case DtlsErrc::closed: return "DTLS association closed";
    case DtlsErrc::export_failed: return "keying material export failed";
  }
  return "unknown DTLS error";
}

std::string_view to_string(DtlsState state) {
  switch (state) {
    case DtlsState::idle: return "idle";
    case DtlsState::connecting: return "connecting";
    case DtlsState::connected: return "connected";
    case DtlsState::failed: return "failed";
    case DtlsState::closed: return "closed";
  }
  return "unknown";
}

SecretBytes SrtpKeys::client_master() const {
  return SecretBytes::adopt(concat({client_write_key.view(), client_write_salt.view()}));
}

SecretBytes SrtpKeys::server_master() const {
  return SecretBytes::adopt(concat({server_write_key.view(), server_write_salt.view()}));
}

namespace {

struct SslCtxDeleter {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslDeleter {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};
struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

// ECDHE with AEADs first; the CBC suites stay for older WebRTC stacks.
constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA";

// OpenSSL's DTLS timer reads the wall clock, which a pure transport must
// not depend on: it gets a duration it never reaches (one hour) and the
// transport retransmits on the caller's clock instead.
constexpr unsigned int kOpenSslTimerMicros = 3600U * 1000U * 1000U;

constexpr size_t kRecordHeaderSize = 13;
constexpr uint8_t kContentChangeCipherSpec = 20;
constexpr uint8_t kContentHandshake = 22;
constexpr size_t kMinMtu = 256;
constexpr size_t kMaxMtu = 16384;

// The reason of the last OpenSSL error as a static string, for Error::detail.
std::string_view openssl_reason() {
  const unsigned long e = ERR_peek_last_error();
  if (e == 0) return "no OpenSSL error";
  const char* reason = ERR_reason_error_string(e);
  return reason != nullptr ? std::string_view(reason) : std::string_view("OpenSSL error");
}

// Whether the datagram holds a handshake or ChangeCipherSpec record: the
// peer is (re)sending a flight.
bool has_handshake_record(BytesView datagram) {
  size_t offset = 0;
  while (offset + kRecordHeaderSize <= datagram.size()) {
    const uint8_t type = datagram[offset];
    if (type == kContentHandshake || type == kContentChangeCipherSpec) return true;
    const size_t length = size_t{datagram[offset + 11]} << 8 | datagram[offset + 12];
    offset += kRecordHeaderSize + length;
  }
  return false;
}

std::optional<SrtpProfile> profile_from_id(unsigned long id) {
  if (id == srtp_profile_id(SrtpProfile::aes128_cm_sha1_80)) return SrtpProfile::aes128_cm_sha1_80;
  if (id == srtp_profile_id(SrtpProfile::aead_aes_128_gcm)) return SrtpProfile::aead_aes_128_gcm;
  return std::nullopt;
}

std::optional<Fingerprint> fingerprint_of(X509* cert) {
  if (cert == nullptr) return std::nullopt;
  unsigned char* der = nullptr;
  const int n = i2d_X509(cert, &der);
  if (n <= 0 || der == nullptr) return std::nullopt;
  Fingerprint fp = Fingerprint::of_der({der, static_cast<size_t>(n)});
  OPENSSL_free(der);
  return fp;
}

unsigned int dtls_timer(SSL*, unsigned int) { return kOpenSslTimerMicros; }

}  // namespace

struct DtlsTransport::Impl {
  Impl(DtlsRole r, Fingerprint fp, DtlsOptions o)
      : role(r), remote_fingerprint(std::move(fp)), options(std::move(o)) {}

  // --- the datagram BIO (called by OpenSSL) ---

  // OpenSSL writes one record per call; records are packed into datagrams
  // up to the MTU, and BIO_flush() ends a datagram. OpenSSL itself sizes
  // handshake fragments with BIO_wpending() so that they fit.
  void write_record(BytesView record) {
    if (!current.empty() && current.size() + record.size() > options.mtu) flush_datagram();
    const size_t start = current.size();
    current.insert(current.end(), record.begin(), record.end());
    renumber_epoch0(MutableBytesView(current).subspan(start));
  }
  // Epoch 0 records carry no MAC, so their sequence numbers are ours to
  // assign: every one sent, retransmissions included, gets the next number.
  // A retransmitted record then passes the peer's replay check just as one
  // OpenSSL retransmitted itself would; otherwise a ChangeCipherSpec that
  // arrived too early (and was dropped after its number was marked seen)
  // could never be delivered. Protected epochs are sent byte for byte.
  void renumber_epoch0(MutableBytesView records) {
    size_t offset = 0;
    while (offset + kRecordHeaderSize <= records.size()) {
      if (records[offset + 3] == 0 && records[offset + 4] == 0) {
        put_be(records.subspan(offset + 5, 6), epoch0_sequence++);
      }
      offset += kRecordHeaderSize + (size_t{records[offset + 11]} << 8 | records[offset + 12]);
    }
  }
  void resend_last_flight() {
    for (const Bytes& datagram : last_flight) {
      Bytes copy = datagram;
      renumber_epoch0(copy);
      outgoing.push_back(std::move(copy));
    }
  }
  void flush_datagram() {
    if (current.empty()) return;
    produced.push_back(std::move(current));
    current.clear();
  }
  // The datagram being handled is read whole, once; a short read truncates
  // it as a UDP socket would.
  int read_datagram(MutableBytesView out) {
    if (!input) return -1;
    const size_t n = std::min(out.size(), input->size());
    if (n > 0) std::memcpy(out.data(), input->data(), n);
    input.reset();
    return static_cast<int>(n);
  }

  // --- driving OpenSSL ---

  void begin_io() {
    ERR_clear_error();
    produced.clear();
  }

  void drive() {
    if (state == DtlsState::connecting) {
      ERR_clear_error();
      const int r = SSL_do_handshake(ssl.get());
      if (r == 1) {
        on_handshake_done();
      } else {
        const int err = SSL_get_error(ssl.get(), r);
        if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
          if (fingerprint_mismatch) {
            fail(DtlsErrc::fingerprint_mismatch, "peer certificate");
          } else if (err == SSL_ERROR_ZERO_RETURN) {
            fail(DtlsErrc::handshake_failed, "close_notify during the handshake");
          } else {
            fail(DtlsErrc::handshake_failed, openssl_reason());
          }
          return;
        }
      }
    }
    if (state == DtlsState::connected) read_application_data();
  }

  // Conclave carries no application data over DTLS; reading still lets
  // OpenSSL process alerts, close_notify and retransmitted handshake
  // records after the handshake.
  void read_application_data() {
    std::array<uint8_t, 2048> sink{};
    for (;;) {
      ERR_clear_error();
      const int n = SSL_read(ssl.get(), sink.data(), static_cast<int>(sink.size()));
      if (n > 0) continue;
      const int err = SSL_get_error(ssl.get(), n);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return;
      if (err == SSL_ERROR_ZERO_RETURN) {
        // close_notify: answer it and stop.
        ERR_clear_error();
        (void)SSL_shutdown(ssl.get());
        state = DtlsState::closed;
        failure = Error(DtlsErrc::closed, "close_notify received");
        return;
      }
      fail(DtlsErrc::protocol_error, openssl_reason());
      return;
    }
  }

  void on_handshake_done() {
    // The verify callback already pinned the certificate; check the
    // certificate the session ended up with once more.
    auto fp = fingerprint_of(SSL_get0_peer_certificate(ssl.get()));
    if (!fp) {
      fail(DtlsErrc::handshake_failed, "no peer certificate");
      return;
    }
    if (!(*fp == remote_fingerprint)) {
      fail(DtlsErrc::fingerprint_mismatch, "peer certificate");
      return;
    }
    const SRTP_PROTECTION_PROFILE* selected = SSL_get_selected_srtp_profile(ssl.get());
    std::optional<SrtpProfile> chosen;
    if (selected != nullptr) chosen = profile_from_id(selected->id);
    if (!chosen || std::find(options.srtp_profiles.begin(), options.srtp_profiles.end(),
                             *chosen) == options.srtp_profiles.end()) {
      // Tell the peer: it would otherwise think the association is up.
      ERR_clear_error();
      (void)SSL_shutdown(ssl.get());
      fail(DtlsErrc::no_srtp_profile, selected == nullptr ? "none negotiated" : "not offered");
      return;
    }
    profile = *chosen;
    state = DtlsState::connected;
  }

  void fail(DtlsErrc errc, std::string_view detail) {
    state = DtlsState::failed;
    failure = Error(errc, detail);
    deadline.reset();
  }

  // After each call into OpenSSL: queue what it wrote, remember the flight,
  // and (re)arm the retransmission deadline while a flight waits for its
  // answer (OpenSSL's timer is running).
  void end_io(DtlsState before, TimePoint now) {
    flush_datagram();
    if (!produced.empty()) {
      if (before == DtlsState::connecting) {
        last_flight = produced;
        flight_retransmissions = 0;
        rto = options.initial_timeout;
        deadline.reset();
      }
      outgoing.insert(outgoing.end(), produced.begin(), produced.end());
    }
    if (state != DtlsState::connecting) {
      deadline.reset();
      return;
    }
    timeval left{};
    const bool waiting = SSL_ctrl(ssl.get(), DTLS_CTRL_GET_TIMEOUT, 0, &left) == 1;
    if (!waiting || last_flight.empty()) {
      deadline.reset();
    } else if (!deadline) {
      deadline = now + rto;
    }
  }

  // --- OpenSSL callbacks ---

  static Impl* of(BIO* bio) { return static_cast<Impl*>(BIO_get_data(bio)); }

  static int bio_write(BIO* bio, const char* data, int length) {
    BIO_clear_retry_flags(bio);
    Impl* impl = of(bio);
    if (impl == nullptr || length < 0) return -1;
    impl->write_record(
        {reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(length)});  // NOLINT
    return length;
  }

  static int bio_read(BIO* bio, char* out, int length) {
    BIO_clear_retry_flags(bio);
    Impl* impl = of(bio);
    if (impl == nullptr || length < 0) return -1;
    const int n =
        impl->read_datagram({reinterpret_cast<uint8_t*>(out), static_cast<size_t>(length)});  // NOLINT
    if (n < 0) BIO_set_retry_read(bio);
    return n;
  }

  static long bio_ctrl(BIO* bio, int command, long, void*) {
    Impl* impl = of(bio);
    if (impl == nullptr) return 0;
    switch (command) {
      case BIO_CTRL_FLUSH:
        impl->flush_datagram();
        return 1;
      case BIO_CTRL_WPENDING:
        return static_cast<long>(impl->current.size());
      case BIO_CTRL_PENDING:
        return impl->input ? static_cast<long>(impl->input->size()) : 0;
      case BIO_CTRL_DGRAM_QUERY_MTU:
      case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
        return static_cast<long>(impl->options.mtu);
      default:
        // No MTU overhead (the MTU counts UDP payload), no peer address,
        // no socket timeouts.
        return 0;
    }
  }

  static int bio_create(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
  }

  // The BIO type: created once, lives as long as the process.
  static BIO_METHOD* bio_method() {
    static BIO_METHOD* method = nullptr;
    static std::once_flag once;
    std::call_once(once, [] {
      BIO_METHOD* m =
          BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "conclave datagram");
      if (m == nullptr) return;
      if (BIO_meth_set_write(m, bio_write) != 1 || BIO_meth_set_read(m, bio_read) != 1 ||
          BIO_meth_set_ctrl(m, bio_ctrl) != 1 || BIO_meth_set_create(m, bio_create) != 1) {
        BIO_meth_free(m);
        return;
      }
      method = m;
    });
    return method;
  }

  static int verify_certificate(X509_STORE_CTX* store, void* arg) {
    auto* impl = static_cast<Impl*>(arg);
    // Only the leaf counts: it is the certificate the fingerprint names
    // (RFC 5763 section 5); chains and validity dates play no part.
    auto fp = fingerprint_of(X509_STORE_CTX_get0_cert(store));
    if (fp && *fp == impl->remote_fingerprint) return 1;
    impl->fingerprint_mismatch = true;
    X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
    return 0;
  }

  DtlsRole role;
  Fingerprint remote_fingerprint;
  DtlsOptions options;
  std::unique_ptr<SSL_CTX, SslCtxDeleter> ctx;
  std::unique_ptr<SSL, SslDeleter> ssl;

  DtlsState state = DtlsState::idle;
  std::optional<Error> failure;
  bool fingerprint_mismatch = false;
  std::optional<SrtpProfile> profile;

  std::optional<BytesView> input;  // the datagram being handled
  Bytes current;                   // records of the datagram being written
  std::vector<Bytes> produced;     // datagrams written by the current call
  std::vector<Bytes> outgoing;
  std::vector<Bytes> last_flight;

  std::optional<TimePoint> deadline;
  Clock::Duration rto{};
  int flight_retransmissions = 0;
  int last_flight_resends = 0;
  std::optional<TimePoint> last_resend;
  uint64_t epoch0_sequence = 0;
  uint64_t retransmissions = 0;
  uint64_t datagrams_received = 0;
};

namespace {

Status load_certificate(SSL_CTX* ctx, const Certificate& certificate) {
  const std::string& pem = certificate.certificate_pem();
  std::unique_ptr<BIO, BioDeleter> cert_bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  const SecretBytes& key_pem = certificate.private_key_pem();
  std::unique_ptr<BIO, BioDeleter> key_bio(
      BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
  if (!cert_bio || !key_bio) return Error(DtlsErrc::setup_failed, "BIO");
  std::unique_ptr<X509, X509Deleter> cert(
      PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (!cert || !key) return Error(DtlsErrc::setup_failed, "certificate PEM");
  if (SSL_CTX_use_certificate(ctx, cert.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return Error(DtlsErrc::setup_failed, "certificate");
  }
  return {};
}

}  // namespace

Result<DtlsTransport> DtlsTransport::create(DtlsRole role, const Certificate& certificate,
                                            Fingerprint remote_fingerprint, DtlsOptions options) {
  if (options.mtu < kMinMtu || options.mtu > kMaxMtu) {
    return Error(DtlsErrc::invalid_argument, "mtu");
  }
  if (options.srtp_profiles.empty()) return Error(DtlsErrc::invalid_argument, "srtp_profiles");
  std::string profiles;
  for (SrtpProfile p : options.srtp_profiles) {
    if (!profile_from_id(srtp_profile_id(p))) {
      return Error(DtlsErrc::invalid_argument, "srtp_profiles");
    }
    if (profiles.find(to_string(p)) != std::string::npos) continue;
    if (!profiles.empty()) profiles += ':';
    profiles += to_string(p);
  }
  if (options.initial_timeout <= Clock::Duration::zero() ||
      options.max_timeout < options.initial_timeout || options.max_retransmissions < 0) {
    return Error(DtlsErrc::invalid_argument, "timeouts");
  }
  BIO_METHOD* method = Impl::bio_method();
  if (method == nullptr) return Error(DtlsErrc::setup_failed, "BIO method");

  auto impl = std::make_unique<Impl>(role, std::move(remote_fingerprint), std::move(options));
  ERR_clear_error();
  impl->ctx.reset(SSL_CTX_new(DTLS_method()));
  SSL_CTX* ctx = impl->ctx.get();
  if (ctx == nullptr) return Error(DtlsErrc::setup_failed, "SSL_CTX_new");
  if (SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION) != 1) {
    return Error(DtlsErrc::setup_failed, "protocol version");
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (SSL_CTX_set_cipher_list(ctx, kCipherList) != 1) {
    return Error(DtlsErrc::setup_failed, "cipher list");
  }
  CV_TRY_STATUS(load_certificate(ctx, certificate));
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  SSL_CTX_set_cert_verify_callback(ctx, Impl::verify_certificate, impl.get());
  // Returns 0 on success.
  if (SSL_CTX_set_tlsext_use_srtp(ctx, profiles.c_str()) != 0) {
    return Error(DtlsErrc::setup_failed, "use_srtp");
  }

  impl->ssl.reset(SSL_new(ctx));
  SSL* ssl = impl->ssl.get();
  if (ssl == nullptr) return Error(DtlsErrc::setup_failed, "SSL_new");
  // Returns the MTU on success, 0 below OpenSSL's minimum.
  if (SSL_ctrl(ssl, SSL_CTRL_SET_MTU, static_cast<long>(impl->options.mtu), nullptr) <= 0) {
    return Error(DtlsErrc::setup_failed, "mtu");
  }
  DTLS_set_timer_cb(ssl, dtls_timer);
  BIO* bio = BIO_new(method);
  if (bio == nullptr) return Error(DtlsErrc::setup_failed, "BIO_new");
  BIO_set_data(bio, impl.get());
  // The one BIO is both the read and the write side: SSL_set_bio() takes
  // the extra reference itself, and SSL_free() releases both.
  SSL_set_bio(ssl, bio, bio);
  if (role == DtlsRole::client) {
    SSL_set_connect_state(ssl);
  } else {
    SSL_set_accept_state(ssl);
  }
  ERR_clear_error();
  return DtlsTransport(std::move(impl));
}

DtlsTransport::DtlsTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DtlsTransport::DtlsTransport(DtlsTransport&&) noexcept = default;
DtlsTransport& DtlsTransport::operator=(DtlsTransport&&) noexcept = default;
DtlsTransport::~DtlsTransport() = default;

Status DtlsTransport::start(TimePoint now) {
  Impl& m = *impl_;
  if (m.state != DtlsState::idle) return Error(DtlsErrc::bad_state, "already started");
  m.state = DtlsState::connecting;
  if (m.role == DtlsRole::server) return {};
  m.begin_io();
  m.drive();
  m.end_io(DtlsState::connecting, now);
  if (m.state == DtlsState::failed) return *m.failure;
  return {};
}

Status DtlsTransport::handle(BytesView datagram, TimePoint now) {
  Impl& m = *impl_;
  if (m.state == DtlsState::idle) return Error(DtlsErrc::bad_state, "not started");
  if (m.state == DtlsState::failed || m.state == DtlsState::closed) {
    return Error(DtlsErrc::bad_state, "association over");
  }
  if (datagram.empty() || datagram.size() > kMaxDatagramSize || datagram[0] < 20 ||
      datagram[0] > 63) {
    return DtlsErrc::not_dtls;
  }
  ++m.datagrams_received;
  const DtlsState before = m.state;
  // RFC 6347 section 4.2.4: the server sent the last flight without a
  // timer; handshake records after that mean the client lost it.
  const bool peer_resends = m.role == DtlsRole::server && before == DtlsState::connected &&
                            has_handshake_record(datagram);
  m.begin_io();
  m.input = datagram;
  m.drive();
  m.input.reset();
  const bool wrote = !m.produced.empty() || !m.current.empty();
  m.end_io(before, now);
  // At most once per half initial timeout (a resent flight arrives as a
  // burst of datagrams), and a bounded number of times in all, so that
  // spoofed records cannot turn the server into a traffic source.
  if (peer_resends && !wrote && m.state == DtlsState::connected &&
      m.last_flight_resends < 2 * (m.options.max_retransmissions + 1) &&
      (!m.last_resend || now - *m.last_resend >= m.options.initial_timeout / 2)) {
    m.last_resend = now;
    ++m.last_flight_resends;
    ++m.retransmissions;
    m.resend_last_flight();
  }
  if (m.state != before && (m.state == DtlsState::failed || m.state == DtlsState::closed)) {
    return *m.failure;
  }
  return {};
}

std::vector<Bytes> DtlsTransport::take_outgoing() {
  std::vector<Bytes> out;
  out.swap(impl_->outgoing);
  return out;
}

std::optional<DtlsTransport::TimePoint> DtlsTransport::next_timeout() const {
  return impl_->deadline;
}

void DtlsTransport::on_timeout(TimePoint now) {
  Impl& m = *impl_;
  if (m.state != DtlsState::connecting || !m.deadline || now < *m.deadline) return;
  if (m.flight_retransmissions >= m.options.max_retransmissions) {
    m.fail(DtlsErrc::timeout, "no answer to the last flight");
    return;
  }
  ++m.flight_retransmissions;
  ++m.retransmissions;
  m.resend_last_flight();
  m.rto = std::min(m.rto * 2, m.options.max_timeout);
  m.deadline = now + m.rto;
}

void DtlsTransport::close() {
  Impl& m = *impl_;
  if (m.state == DtlsState::failed || m.state == DtlsState::closed) return;
  if (m.state == DtlsState::connected) {
    m.begin_io();
    (void)SSL_shutdown(m.ssl.get());
    m.flush_datagram();
    m.outgoing.insert(m.outgoing.end(), m.produced.begin(), m.produced.end());
    m.produced.clear();
  }
  m.state = DtlsState::closed;
  m.deadline.reset();
}

DtlsRole DtlsTransport::role() const { return impl_->role; }
DtlsState DtlsTransport::state() const { return impl_->state; }
std::optional<Error> DtlsTransport::failure() const { return impl_->failure; }
uint64_t DtlsTransport::datagrams_received() const { return impl_->datagrams_received; }
uint64_t DtlsTransport::retransmissions() const { return impl_->retransmissions; }

Result<SrtpProfile> DtlsTransport::srtp_profile() const {
  if (impl_->state != DtlsState::connected || !impl_->profile) {
    return Error(DtlsErrc::bad_state, "not connected");
  }
  return *impl_->profile;
}

Result<SrtpKeys> DtlsTransport::keying_material() const {
  CV_TRY(SrtpProfile profile, srtp_profile());
  const size_t key = srtp_master_key_length(profile);
  const size_t salt = srtp_master_salt_length(profile);
  SecretBytes out(2 * (key + salt));
  ERR_clear_error();
  if (SSL_export_keying_material(impl_->ssl.get(), out.data(), out.size(), kExporterLabel.data(),
                                 kExporterLabel.size(), nullptr, 0, 0) != 1) {
    return Error(DtlsErrc::export_failed, openssl_reason());
  }
  // RFC 5764 section 4.2: client key, server key, client salt, server salt.
  const BytesView all = out.view();
  SrtpKeys keys;
  keys.profile = profile;
  keys.client_write_key = SecretBytes(all.subspan(0, key));
  keys.server_write_key = SecretBytes(all.subspan(key, key));
  keys.client_write_salt = SecretBytes(all.subspan(2 * key, salt));
  keys.server_write_salt = SecretBytes(all.subspan(2 * key + salt, salt));
  return keys;
}

Result<SecretBytes> DtlsTransport::local_master() const {
  CV_TRY(SrtpKeys keys, keying_material());
  return impl_->role == DtlsRole::client ? keys.client_master() : keys.server_master();
}

Result<SecretBytes> DtlsTransport::remote_master() const {
  CV_TRY(SrtpKeys keys, keying_material());
  return impl_->role == DtlsRole::client ? keys.server_master() : keys.client_master();
}

}  // namespace conclave::net
