#include "conclave/net/fingerprint.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"

namespace conclave::net {
namespace {

TEST(Fingerprint, OfDerIsSha256) {
  // SHA-256("abc"), FIPS 180-2 B.1; the input need not be a certificate.
  Fingerprint fp = Fingerprint::of_der(as_bytes("abc"));
  EXPECT_EQ(to_hex(fp.bytes()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(fp.str(),
            "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:"
            "F2:00:15:AD");
}

TEST(Fingerprint, ParseAcceptsCommonSpellings) {
  Fingerprint fp = Fingerprint::of_der(as_bytes("abc"));
  std::string colon = fp.str();
  std::string plain = to_hex(fp.bytes());
  for (const std::string& text :
       {colon, plain, "sha256:" + colon, "SHA-256 " + colon, "sha-256:" + plain}) {
    auto parsed = Fingerprint::parse(text);
    ASSERT_TRUE(parsed.ok()) << text;
    EXPECT_EQ(*parsed, fp) << text;
  }
  std::string lower = colon;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(*Fingerprint::parse(lower), fp);
}

TEST(Fingerprint, ParseRejectsMalformedText) {
  std::string good = Fingerprint::of_der(as_bytes("abc")).str();
  for (const std::string& bad :
       {std::string(), std::string("AB"), good.substr(0, good.size() - 3), good + ":00", good + ":",
        "GG" + good.substr(2), std::string("A") + good.substr(1, good.size() - 1) + "0",
        std::string(64, 'z'), good.substr(0, 3) + ":" + good.substr(3)}) {
    EXPECT_FALSE(Fingerprint::parse(bad).ok()) << bad;
  }
}

TEST(Fingerprint, FromBytesNeedsExactly32) {
  EXPECT_FALSE(Fingerprint::from_bytes(Bytes(31)).ok());
  EXPECT_FALSE(Fingerprint::from_bytes(Bytes(33)).ok());
  EXPECT_TRUE(Fingerprint::from_bytes(Bytes(32)).ok());
}

TEST(Fingerprint, OfCertificatePemRejectsGarbage) {
  auto r = Fingerprint::of_certificate_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(Errc::certificate_failed));
}

}  // namespace
}  // namespace conclave::net
