#include "conclave/net/certificate.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <filesystem>
#include <random>

namespace conclave::net {
namespace {

namespace fs = std::filesystem;

struct X509Holder {
  explicit X509Holder(const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
  }
  ~X509Holder() { X509_free(cert); }
  X509* cert = nullptr;
};

TEST(Certificate, SelfSignedHasP256KeySansAndOneYear) {
  auto cert = Certificate::generate_self_signed();
  ASSERT_TRUE(cert.ok()) << cert.error().to_string();
  X509Holder x(cert->certificate_pem());
  ASSERT_NE(x.cert, nullptr);

  EVP_PKEY* key = X509_get0_pubkey(x.cert);
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(EVP_PKEY_get_base_id(key), EVP_PKEY_EC);
  char group[64] = {};
  size_t group_len = 0;
  ASSERT_EQ(EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, &group_len), 1);
  EXPECT_STREQ(group, "prime256v1");

  // Self-signed: the signature verifies with its own key.
  EXPECT_EQ(X509_verify(x.cert, key), 1);

  // subjectAltName: DNS:localhost and IP:127.0.0.1; X509_check_* use them.
  EXPECT_EQ(X509_check_host(x.cert, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(x.cert, "127.0.0.1", 0), 1);
  EXPECT_NE(X509_check_host(x.cert, "example.com", 0, 0, nullptr), 1);

  // Valid now, for about a year.
  int days = 0, secs = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(x.cert), X509_get0_notAfter(x.cert)),
            1);
  EXPECT_GE(days, 365);
  EXPECT_LE(days, 366);
  EXPECT_LT(X509_cmp_current_time(X509_get0_notBefore(x.cert)), 0);
  EXPECT_GT(X509_cmp_current_time(X509_get0_notAfter(x.cert)), 0);

  // The fingerprint is the SHA-256 of the DER.
  unsigned char* der = nullptr;
  int n = i2d_X509(x.cert, &der);
  ASSERT_GT(n, 0);
  EXPECT_EQ(cert->fingerprint(), Fingerprint::of_der({der, static_cast<size_t>(n)}));
  OPENSSL_free(der);
}

TEST(Certificate, EachGenerationIsNew) {
  auto a = Certificate::generate_self_signed();
  auto b = Certificate::generate_self_signed();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->fingerprint(), b->fingerprint());
  EXPECT_NE(a->private_key_pem(), b->private_key_pem());
}

TEST(Certificate, ExtraNamesAndBadOptions) {
  CertificateOptions o;
  o.dns_names.push_back("conclave.example");
  o.ip_addresses.push_back("::1");
  auto cert = Certificate::generate_self_signed(o);
  ASSERT_TRUE(cert.ok());
  X509Holder x(cert->certificate_pem());
  EXPECT_EQ(X509_check_host(x.cert, "conclave.example", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(x.cert, "::1", 0), 1);

  CertificateOptions bad;
  bad.dns_names = {"evil,DNS:other"};
  EXPECT_FALSE(Certificate::generate_self_signed(bad).ok());
  CertificateOptions zero_days;
  zero_days.valid_days = 0;
  EXPECT_FALSE(Certificate::generate_self_signed(zero_days).ok());
}

TEST(Certificate, SaveAndLoadRoundTripWithPrivateKeyMode0600) {
  auto cert = Certificate::generate_self_signed();
  ASSERT_TRUE(cert.ok());
  fs::path dir = fs::temp_directory_path() / ("conclave-cert-test-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  ASSERT_TRUE(cert->save(dir / "cert.pem", dir / "key.pem").ok());
  struct stat st {};
  ASSERT_EQ(::stat((dir / "key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  auto loaded = Certificate::load(dir / "cert.pem", dir / "key.pem");
  ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
  EXPECT_EQ(loaded->fingerprint(), cert->fingerprint());
  EXPECT_EQ(loaded->private_key_pem(), cert->private_key_pem());

  // A key from another certificate is refused.
  auto other = Certificate::generate_self_signed();
  ASSERT_TRUE(other.ok());
  auto mixed = Certificate::from_pem(cert->certificate_pem(), other->private_key_pem());
  ASSERT_FALSE(mixed.ok());
  EXPECT_TRUE(mixed.error().is(Errc::certificate_failed));

  auto missing = Certificate::load(dir / "nope.pem", dir / "key.pem");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().is(Errc::file_error));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace conclave::net
