#include "conclave/net/fingerprint.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "conclave/base/encoding.h"

namespace conclave::net {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (a != prefix[i]) return false;
  }
  return true;
}

}  // namespace

Result<Fingerprint> Fingerprint::from_bytes(BytesView digest) {
  if (digest.size() != kSize) return Error(Errc::invalid_argument, "fingerprint length");
  return Fingerprint(Bytes(digest.begin(), digest.end()));
}

Result<Fingerprint> Fingerprint::parse(std::string_view text) {
  for (std::string_view prefix : {"sha256:", "sha-256:", "sha-256 ", "sha256 "}) {
    if (starts_with_ci(text, prefix)) {
      text.remove_prefix(prefix.size());
      break;
    }
  }
  Bytes out;
  size_t i = 0;
  while (i < text.size()) {
    if (out.size() == kSize) return Error(Errc::invalid_argument, "fingerprint length");
    if (i + 1 >= text.size()) return Error(Errc::invalid_argument, "fingerprint digit");
    int hi = hex_value(text[i]);
    int lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return Error(Errc::invalid_argument, "fingerprint digit");
    out.push_back(static_cast<uint8_t>(hi * 16 + lo));
    i += 2;
    if (i < text.size() && text[i] == ':') {
      ++i;
      if (i == text.size()) return Error(Errc::invalid_argument, "fingerprint separator");
    }
  }
  return from_bytes(out);
}

Fingerprint Fingerprint::of_der(BytesView certificate_der) {
  Bytes digest(kSize);
  unsigned int len = 0;
  int rc = EVP_Digest(certificate_der.data(), certificate_der.size(), digest.data(), &len,
                      EVP_sha256(), nullptr);
  CV_CHECK(rc == 1 && len == kSize);
  return Fingerprint(std::move(digest));
}

Result<Fingerprint> Fingerprint::of_certificate_pem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return Errc::certificate_failed;
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) return Error(Errc::certificate_failed, "certificate PEM");
  unsigned char* der = nullptr;
  int n = i2d_X509(cert.get(), &der);
  if (n <= 0) return Error(Errc::certificate_failed, "certificate DER");
  Fingerprint fp = of_der({der, static_cast<size_t>(n)});
  OPENSSL_free(der);
  return fp;
}

std::string Fingerprint::str() const {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(digest_.size() * 3);
  for (size_t i = 0; i < digest_.size(); ++i) {
    if (i > 0) out.push_back(':');
    out.push_back(kDigits[digest_[i] >> 4]);
    out.push_back(kDigits[digest_[i] & 15]);
  }
  return out;
}

}  // namespace conclave::net
