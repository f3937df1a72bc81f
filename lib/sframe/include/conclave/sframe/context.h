// conclave::sframe: end-to-end encryption of media frames, RFC 9605.
//
// A sender turns each encoded frame into an SFrame ciphertext; the SFU
// forwards it without being able to read it; the receiver checks and opens
// it:
//
//   sender                                             receiver
//   plaintext frame, metadata                          SFrame ciphertext, metadata
//      | Context::protect(kid, ...)                       | Context::unprotect(...)
//      |   key, salt  = key_store[KID]                    |   Header::parse -> KID, CTR
//      |   CTR        = next counter of the KID           |   key, salt = key_store[KID]
//      |   nonce      = salt XOR CTR                      |   replay window check
//      |   header     = Header{KID, CTR}.encode()         |   AEAD.Decrypt(key, nonce,
//      |   AEAD.Encrypt(key, nonce,                       |     header || metadata, ct)
//      |     aad = header || metadata, pt)                |   replay window update
//      v                                                  v
//   header || ciphertext || tag  ----- SFU ----->      plaintext frame
//
// The pieces, one per header: Header (the KID/CTR encoding), CipherSuite
// (suites 1-8), KeyDerivation (derive_key_salt), FrameCipher (the suite's
// AEAD), ReplayWindow, Context (this file: a key store with protect and
// unprotect), MlsContext (keys per MLS epoch and sender, section 5.2), and
// derive_rtp_stream_key (per-SSRC keys of the RTP payload draft).
//
// Context works into caller-provided buffers and allocates nothing per
// frame; keys are derived and scheduled once, in add_key(). It is a plain
// single-threaded value: use one per thread (the media workers each own
// theirs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/sframe/cipher_suite.h"
#include "conclave/sframe/errc.h"
#include "conclave/sframe/frame_cipher.h"
#include "conclave/sframe/header.h"
#include "conclave/sframe/replay_window.h"

namespace conclave::sframe {

// "Implementations MUST mark each base_key as usable for encryption or
// decryption, never both." (section 4.4.1)
enum class KeyUsage : uint8_t { protect, unprotect };

// What unprotect() found: the header's KID and CTR and the plaintext size.
struct Unprotected {
  Header header;
  size_t size = 0;
};

class Context {
 public:
  // The worst-case expansion of any suite: a 17-byte header plus a 16-byte tag.
  static constexpr size_t kMaxOverhead = Header::kMaxSize + CipherSuite::kMaxTagSize;

  explicit Context(const CipherSuite& suite);
  Context(Context&&) noexcept;
  Context& operator=(Context&&) noexcept;
  ~Context();

  const CipherSuite& suite() const { return *suite_; }
  // Header::kMaxSize + Nt: how much larger a ciphertext can be than its
  // plaintext with this suite.
  size_t max_overhead() const { return Header::kMaxSize + suite_->nt; }

  // Derives sframe_key and sframe_salt for kid from base_key and installs
  // them for one direction. A protect key starts at CTR 0.
  // Errors: duplicate_kid, invalid_key (empty base_key).
  Status add_key(uint64_t kid, KeyUsage usage, BytesView base_key);
  // Forgets the key (and its counter or replay state). Errc::unknown_kid.
  Status remove_key(uint64_t kid);
  bool has_key(uint64_t kid) const;
  std::optional<KeyUsage> key_usage(uint64_t kid) const;
  size_t key_count() const;

  // Encrypts plaintext under kid with the key's next counter and writes the
  // SFrame ciphertext (header || ciphertext || tag) to out, which must not
  // overlap plaintext; returns its size, at most plaintext.size() +
  // max_overhead(). Errors: unknown_kid, wrong_key_usage, counter_exhausted,
  // buffer_too_small. A counter is consumed once encryption starts, so it is
  // never used twice even if the provider fails half-way.
  Result<size_t> protect(uint64_t kid, BytesView metadata, BytesView plaintext,
                         MutableBytesView out);

  // As protect(), with the counter chosen by the caller (the RFC's
  // encrypt(CTR, KID, metadata, plaintext)). Counters must increase:
  // Errc::counter_reuse for a ctr at or below the last one used with kid.
  // Later protect() calls continue from ctr + 1.
  Result<size_t> protect_with_counter(uint64_t kid, uint64_t ctr, BytesView metadata,
                                      BytesView plaintext, MutableBytesView out);

  // Parses, authenticates and decrypts an SFrame ciphertext, writing the
  // plaintext (ciphertext.size() - header - Nt bytes) to out, which must not
  // overlap ciphertext. Errors: truncated_header, non_minimal_header,
  // unknown_kid, wrong_key_usage, ciphertext_too_short, buffer_too_small,
  // replay, authentication_failed. A failed call changes no state and leaves
  // no plaintext in out.
  Result<Unprotected> unprotect(BytesView metadata, BytesView ciphertext, MutableBytesView out);

 private:
  struct Key;
  Key* find(uint64_t kid);
  const Key* find(uint64_t kid) const;
  Result<size_t> seal(Key& key, uint64_t ctr, BytesView metadata, BytesView plaintext,
                      MutableBytesView out);

  const CipherSuite* suite_;
  // Sorted by KID: a binary search finds the key, and there are few.
  std::vector<Key> keys_;
};

}  // namespace conclave::sframe
