// Certificate: the server's TLS identity, a certificate and its private key
// in PEM. generate_self_signed() makes the one created on first start: a
// P-256 key, subject CN=conclave, subjectAltName DNS:localhost and
// IP:127.0.0.1 (plus any names asked for), valid for one year, signed with
// ECDSA-SHA256. load()/save() read and write the two PEM files; the key
// file is written with mode 0600.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/net/errc.h"
#include "conclave/net/fingerprint.h"

namespace conclave::net {

struct CertificateOptions {
  std::string common_name = "conclave";
  std::vector<std::string> dns_names = {"localhost"};
  std::vector<std::string> ip_addresses = {"127.0.0.1"};
  int valid_days = 365;
};

class Certificate {
 public:
  static Result<Certificate> generate_self_signed(const CertificateOptions& options);
  static Result<Certificate> generate_self_signed() {
    return generate_self_signed(CertificateOptions{});
  }
  // Checks that both parse and that the key belongs to the certificate.
  static Result<Certificate> from_pem(std::string certificate_pem, SecretBytes key_pem);
  static Result<Certificate> load(const std::filesystem::path& certificate_file,
                                  const std::filesystem::path& key_file);
  Status save(const std::filesystem::path& certificate_file,
              const std::filesystem::path& key_file) const;

  const std::string& certificate_pem() const { return certificate_pem_; }
  const SecretBytes& private_key_pem() const { return key_pem_; }
  const Fingerprint& fingerprint() const { return fingerprint_; }

 private:
  Certificate(std::string certificate_pem, SecretBytes key_pem, Fingerprint fingerprint)
      : certificate_pem_(std::move(certificate_pem)),
        key_pem_(std::move(key_pem)),
        fingerprint_(std::move(fingerprint)) {}

  std::string certificate_pem_;
  SecretBytes key_pem_;
  Fingerprint fingerprint_;
};

}  // namespace conclave::net
