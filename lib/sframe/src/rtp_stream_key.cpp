#include "conclave/sframe/rtp_stream_key.h"

#include <array>
#include <string_view>

#include "conclave/crypto/hash.h"

namespace conclave::sframe {

Result<SecretBytes> derive_rtp_stream_key(const CipherSuite& suite, uint32_t ssrc,
                                          BytesView base_key) {
  static constexpr std::string_view kLabel = "SFrame 1.0 RTP Stream";
  if (base_key.empty()) return Error(Errc::invalid_key, "empty base_key");
  std::array<uint8_t, 4> salt;
  put_be(salt, ssrc);
  SecretBytes prk = crypto::hkdf_extract(suite.hash, salt, base_key);
  auto key = crypto::hkdf_expand(suite.hash, prk.view(), as_bytes(kLabel), suite.nh);
  if (!key.ok()) return Error(Errc::crypto_failure, key.error().message());
  return std::move(key).value();
}

}  // namespace conclave::sframe
