#include "conclave/store/host_key.h"

#include "conclave/base/encoding.h"
#include "conclave/crypto/hash.h"
#include "conclave/crypto/random.h"

namespace conclave::store {

HostKey::~HostKey() {
  secure_wipe({reinterpret_cast<uint8_t*>(text_.data()), text_.size()});  // NOLINT
}

HostKey HostKey::generate() {
  SecretBytes raw(kRandomBytes);
  crypto::random_bytes(raw.mutable_view());
  return HostKey(to_base64url(raw.view()));
}

Bytes HostKey::hash_of(std::string_view text) {
  return crypto::hash(crypto::HashId::sha256, as_bytes(text));
}

bool HostKey::matches(BytesView stored_hash, std::string_view presented) {
  if (presented.empty()) return false;
  Bytes h = hash_of(presented);
  return constant_time_equal(h, stored_hash);
}

}  // namespace conclave::store
