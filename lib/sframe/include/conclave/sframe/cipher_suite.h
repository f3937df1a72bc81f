// SFrame cipher suites: RFC 9605 section 4.5 (suites 1-5) and the IANA
// "SFrame Cipher Suites" registry additions for AES-256-CTR (suites 6-8).
//
//   | id | Name                       | Nh | Nka | Nk | Nn | Nt |
//   |  1 | AES_128_CTR_HMAC_SHA256_80 | 32 | 16  | 48 | 12 | 10 |
//   |  2 | AES_128_CTR_HMAC_SHA256_64 | 32 | 16  | 48 | 12 |  8 |
//   |  3 | AES_128_CTR_HMAC_SHA256_32 | 32 | 16  | 48 | 12 |  4 |
//   |  4 | AES_128_GCM_SHA256_128     | 32 | n/a | 16 | 12 | 16 |
//   |  5 | AES_256_GCM_SHA512_128     | 64 | n/a | 32 | 12 | 16 |
//   |  6 | AES_256_CTR_HMAC_SHA512_80 | 64 | 32  | 96 | 12 | 10 |
//   |  7 | AES_256_CTR_HMAC_SHA512_64 | 64 | 32  | 96 | 12 |  8 |
//   |  8 | AES_256_CTR_HMAC_SHA512_32 | 64 | 32  | 96 | 12 |  4 |
//
// Nh: hash output, Nka: AES key inside the CTR+HMAC compound AEAD (whose
// key Nk = Nka + Nh), Nk: AEAD key, Nn: nonce, Nt: tag, all in bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "conclave/base/result.h"
#include "conclave/crypto/hash.h"
#include "conclave/sframe/errc.h"

namespace conclave::sframe {

enum class CipherSuiteId : uint16_t {
  aes_128_ctr_hmac_sha256_80 = 0x0001,
  aes_128_ctr_hmac_sha256_64 = 0x0002,
  aes_128_ctr_hmac_sha256_32 = 0x0003,
  aes_128_gcm_sha256_128 = 0x0004,
  aes_256_gcm_sha512_128 = 0x0005,
  aes_256_ctr_hmac_sha512_80 = 0x0006,
  aes_256_ctr_hmac_sha512_64 = 0x0007,
  aes_256_ctr_hmac_sha512_32 = 0x0008,
};

struct CipherSuite {
  // The largest Nt and Nn of any suite, for stack buffers.
  static constexpr size_t kMaxTagSize = 16;
  static constexpr size_t kNonceSize = 12;

  CipherSuiteId id;
  std::string_view name;  // the IANA name, e.g. "AES_128_GCM_SHA256_128"
  crypto::HashId hash;
  size_t nh;
  size_t nka;  // 0 for the GCM suites
  size_t nk;
  size_t nn;
  size_t nt;

  // True for the AES-CTR + HMAC compound AEAD (section 4.5.1).
  bool is_ctr_hmac() const { return nka != 0; }
  uint16_t code_point() const { return static_cast<uint16_t>(id); }

  // Every registered suite, in code point order.
  static const std::array<CipherSuite, 8>& all();
  static const CipherSuite& get(CipherSuiteId id);
  // Errc::invalid_cipher_suite for an unregistered code point (0, 9, ...).
  static Result<CipherSuite> from_code_point(uint16_t code_point);
};

}  // namespace conclave::sframe
