#include "conclave/net/certificate.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>

namespace conclave::net {
namespace {

template <class T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;

std::string bio_to_string(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  if (n <= 0 || data == nullptr) return {};
  return std::string(data, static_cast<size_t>(n));
}

Status add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext) return Error(Errc::certificate_failed, "extension");
  if (X509_add_ext(cert, ext.get(), -1) != 1) return Error(Errc::certificate_failed, "extension");
  return {};
}

bool valid_san_token(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '*';
    if (!ok) return false;
  }
  return true;
}

Result<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Error(Errc::file_error, "open");
  std::error_code ec;
  auto size = std::filesystem::file_size(p, ec);
  if (ec || size > (1U << 20)) return Error(Errc::file_error, "size");
  std::string out(size, '\0');
  in.read(out.data(), static_cast<std::streamsize>(size));
  if (!in) return Error(Errc::file_error, "read");
  return out;
}

Status write_file(const std::filesystem::path& p, BytesView data, mode_t mode) {
  // O_EXCL is not used: save() replaces files on purpose. The mode applies
  // when the file is created; an existing file is tightened with fchmod.
  int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Error(Errc::file_error, "open");
  bool ok = ::fchmod(fd, mode) == 0;
  size_t off = 0;
  while (ok && off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n <= 0) {
      ok = false;
      break;
    }
    off += static_cast<size_t>(n);
  }
  ok = (::close(fd) == 0) && ok;
  if (!ok) return Error(Errc::file_error, "write");
  return {};
}

}  // namespace

Result<Certificate> Certificate::generate_self_signed(const CertificateOptions& options) {
  if (options.valid_days < 1 || options.valid_days > 3650) {
    return Error(Errc::invalid_argument, "valid_days");
  }
  std::string san;
  for (const auto& d : options.dns_names) {
    if (!valid_san_token(d)) return Error(Errc::invalid_argument, "dns name");
    san += (san.empty() ? "" : ",") + std::string("DNS:") + d;
  }
  for (const auto& ip : options.ip_addresses) {
    if (!valid_san_token(ip)) return Error(Errc::invalid_argument, "ip address");
    san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
  }

  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return Error(Errc::certificate_failed, "key generation");
  X509Ptr cert(X509_new());
  if (!cert) return Errc::certificate_failed;
  if (X509_set_version(cert.get(), 2) != 1) return Errc::certificate_failed;

  // 128-bit random positive serial (RFC 5280 allows up to 20 octets).
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) return Errc::certificate_failed;
  serial_bytes[0] &= 0x7f;
  BnPtr serial(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
  if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    return Error(Errc::certificate_failed, "serial");
  }
  // Backdate by an hour for clock skew between server and clients.
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), long{options.valid_days} * 86400) ==
          nullptr) {
    return Error(Errc::certificate_failed, "validity");
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto* cn = reinterpret_cast<const unsigned char*>(options.common_name.c_str());  // NOLINT
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, cn, -1, -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key.get()) != 1) {
    return Error(Errc::certificate_failed, "name");
  }
  CV_TRY_STATUS(add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  CV_TRY_STATUS(add_extension(cert.get(), NID_key_usage, "critical,digitalSignature"));
  CV_TRY_STATUS(add_extension(cert.get(), NID_ext_key_usage, "serverAuth"));
  CV_TRY_STATUS(add_extension(cert.get(), NID_subject_key_identifier, "hash"));
  if (!san.empty()) CV_TRY_STATUS(add_extension(cert.get(), NID_subject_alt_name, san));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
    return Error(Errc::certificate_failed, "sign");
  }

  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (!cert_bio || !key_bio || PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1 ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr,
                               nullptr) != 1) {
    return Error(Errc::certificate_failed, "PEM");
  }
  std::string key_text = bio_to_string(key_bio.get());
  SecretBytes key_pem(as_bytes(key_text));
  secure_wipe({reinterpret_cast<uint8_t*>(key_text.data()), key_text.size()});  // NOLINT
  return from_pem(bio_to_string(cert_bio.get()), std::move(key_pem));
}

Result<Certificate> Certificate::from_pem(std::string certificate_pem, SecretBytes key_pem) {
  BioPtr cert_bio(BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())));
  BioPtr key_bio(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())));
  if (!cert_bio || !key_bio) return Errc::certificate_failed;
  X509Ptr cert(PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return Error(Errc::certificate_failed, "certificate PEM");
  PkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (!key) return Error(Errc::certificate_failed, "private key PEM");
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return Error(Errc::certificate_failed, "key does not match certificate");
  }
  CV_TRY(Fingerprint fp, Fingerprint::of_certificate_pem(certificate_pem));
  return Certificate(std::move(certificate_pem), std::move(key_pem), std::move(fp));
}

Result<Certificate> Certificate::load(const std::filesystem::path& certificate_file,
                                      const std::filesystem::path& key_file) {
  CV_TRY(std::string cert_text, read_file(certificate_file));
  CV_TRY(std::string key_text, read_file(key_file));
  SecretBytes key(as_bytes(key_text));
  secure_wipe({reinterpret_cast<uint8_t*>(key_text.data()), key_text.size()});  // NOLINT
  return from_pem(std::move(cert_text), std::move(key));
}

Status Certificate::save(const std::filesystem::path& certificate_file,
                         const std::filesystem::path& key_file) const {
  CV_TRY_STATUS(write_file(key_file, key_pem_.view(), 0600));
  return write_file(certificate_file, as_bytes(certificate_pem_), 0644);
}

}  // namespace conclave::net
