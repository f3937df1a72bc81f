#include "conclave/sframe/context.h"

#include <algorithm>
#include <array>
#include <limits>

#include "conclave/sframe/key_derivation.h"

namespace conclave::sframe {

// One installed key: the scheduled AEAD, the salt, and the state of its
// direction (the last counter sent, or the replay window).
struct Context::Key {
  uint64_t kid;
  KeyUsage usage;
  FrameCipher cipher;
  SecretBytes salt;
  std::optional<uint64_t> last_ctr;  // protect keys: the last CTR used
  ReplayWindow window;               // unprotect keys
};

Context::Context(const CipherSuite& suite) : suite_(&CipherSuite::get(suite.id)) {}
Context::Context(Context&&) noexcept = default;
Context& Context::operator=(Context&&) noexcept = default;
Context::~Context() = default;

// Inline: find() and seal() run once per frame.
inline Context::Key* Context::find(uint64_t kid) {
  auto it = std::lower_bound(keys_.begin(), keys_.end(), kid,
                             [](const Key& k, uint64_t id) { return k.kid < id; });
  return it != keys_.end() && it->kid == kid ? &*it : nullptr;
}

const Context::Key* Context::find(uint64_t kid) const {
  return const_cast<Context*>(this)->find(kid);  // NOLINT(cppcoreguidelines-pro-type-const-cast)
}

Status Context::add_key(uint64_t kid, KeyUsage usage, BytesView base_key) {
  auto it = std::lower_bound(keys_.begin(), keys_.end(), kid,
                             [](const Key& k, uint64_t id) { return k.kid < id; });
  if (it != keys_.end() && it->kid == kid) return Errc::duplicate_kid;
  CV_TRY(KeyDerivation derived, KeyDerivation::derive(*suite_, kid, base_key));
  CV_TRY(FrameCipher cipher, FrameCipher::create(*suite_, derived.sframe_key.view()));
  keys_.insert(it, Key{kid, usage, std::move(cipher), std::move(derived.sframe_salt),
                       std::nullopt, ReplayWindow{}});
  return ok_status();
}

Status Context::remove_key(uint64_t kid) {
  Key* key = find(kid);
  if (key == nullptr) return Errc::unknown_kid;
  keys_.erase(keys_.begin() + (key - keys_.data()));
  return ok_status();
}

bool Context::has_key(uint64_t kid) const { return find(kid) != nullptr; }

size_t Context::key_count() const { return keys_.size(); }

std::optional<KeyUsage> Context::key_usage(uint64_t kid) const {
  const Key* key = find(kid);
  if (key == nullptr) return std::nullopt;
  return key->usage;
}

inline Result<size_t> Context::seal(Key& key, uint64_t ctr, BytesView metadata, BytesView plaintext,
                             MutableBytesView out) {
  const Header header{key.kid, ctr};
  const size_t body = plaintext.size() + suite_->nt;
  size_t header_size = 0;
  if (out.size() >= Header::kMaxSize + body) {
    header_size = header.encode_into(out.first<Header::kMaxSize>());  // the usual case
  } else {
    header_size = header.encoded_size();
    if (out.size() < header_size + body) return Errc::buffer_too_small;
    (void)header.encode(out);
  }
  // Consume the counter before using it (section 9.1: store, then use).
  key.last_ctr = ctr;
  std::array<uint8_t, CipherSuite::kNonceSize> nonce;
  form_nonce(key.salt.view(), ctr, nonce);
  CV_TRY(size_t n, key.cipher.seal(nonce, crypto::Aad(out.first(header_size), metadata),
                                   plaintext, out.subspan(header_size)));
  return header_size + n;
}

Result<size_t> Context::protect(uint64_t kid, BytesView metadata, BytesView plaintext,
                                MutableBytesView out) {
  Key* key = find(kid);
  if (key == nullptr) return Errc::unknown_kid;
  if (key->usage != KeyUsage::protect) return Errc::wrong_key_usage;
  uint64_t ctr = 0;
  if (key->last_ctr) {
    if (*key->last_ctr == std::numeric_limits<uint64_t>::max()) return Errc::counter_exhausted;
    ctr = *key->last_ctr + 1;
  }
  return seal(*key, ctr, metadata, plaintext, out);
}

Result<size_t> Context::protect_with_counter(uint64_t kid, uint64_t ctr, BytesView metadata,
                                             BytesView plaintext, MutableBytesView out) {
  Key* key = find(kid);
  if (key == nullptr) return Errc::unknown_kid;
  if (key->usage != KeyUsage::protect) return Errc::wrong_key_usage;
  if (key->last_ctr && ctr <= *key->last_ctr) return Errc::counter_reuse;
  return seal(*key, ctr, metadata, plaintext, out);
}

Result<Unprotected> Context::unprotect(BytesView metadata, BytesView ciphertext,
                                       MutableBytesView out) {
  CV_TRY(ParsedHeader parsed, Header::parse(ciphertext));
  Key* key = find(parsed.header.kid);
  if (key == nullptr) return Errc::unknown_kid;
  if (key->usage != KeyUsage::unprotect) return Errc::wrong_key_usage;
  const BytesView body = ciphertext.subspan(parsed.size);
  if (body.size() < suite_->nt) return Errc::ciphertext_too_short;
  if (out.size() < body.size() - suite_->nt) return Errc::buffer_too_small;
  if (!key->window.check(parsed.header.ctr)) return Errc::replay;
  std::array<uint8_t, CipherSuite::kNonceSize> nonce;
  form_nonce(key->salt.view(), parsed.header.ctr, nonce);
  CV_TRY(size_t n, key->cipher.open(nonce, crypto::Aad(ciphertext.first(parsed.size), metadata),
                                    body, out));
  key->window.update(parsed.header.ctr);
  return Unprotected{parsed.header, n};
}

}  // namespace conclave::sframe
