// MlsContext: SFrame keys from MLS (RFC 9605 section 5.2).
//
// Once per MLS epoch every member computes the same secret,
//
//   base_key = MLS-Exporter("SFrame 1.0 Base Key", "", AEAD.Nk)
//
// (the RFC also calls it sframe_epoch_secret), and hands it to add_epoch().
// Senders are told apart by the KID, not by different base keys: each
// member owns the KIDs carrying its leaf index, and because the KID is part
// of the derive_key_salt labels every (epoch, sender, context) gets its own
// sframe_key and sframe_salt.
//
//     64-S-E bits   S bits   E bits
//    <-----------> <------> <------>
//   +-------------+--------+-------+
//   | Context ID  | Index  | Epoch |
//   +-------------+--------+-------+
//
//   KID = (context << (S + E)) + (sender_index << E) + (epoch % (1 << E))
//
// E (epoch_bits) is fixed for the context; S (sender_bits, "the smallest
// value such that group_size <= (1 << S)", sized from the number of leaves)
// may change with each epoch. Keys for a KID are derived the first time it
// is used and cached; for a received KID only once a frame under it
// authenticates, so forged KIDs leave nothing behind.
//
// Epoch lifetime: the newest epoch is current. When a newer one arrives the
// previous ones stay usable for grace_period (measured on the injected
// Clock) so frames in flight still decrypt, and are then refused and
// dropped. Only 2^E epochs can be told apart by their low E bits: "receivers
// MUST remove an old epoch when a new epoch with the same low-order E bits
// is introduced", and add_epoch() does.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/clock.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/sframe/cipher_suite.h"
#include "conclave/sframe/context.h"

namespace conclave::sframe {

// A KID split into the three fields of the MLS layout.
struct MlsKid {
  uint64_t context_id = 0;
  uint64_t sender_index = 0;
  uint64_t epoch_bits = 0;  // epoch % (1 << E)

  // Errc::invalid_parameter when a field does not fit its bits.
  static Result<uint64_t> encode(uint64_t context_id, uint64_t sender_index, uint64_t epoch,
                                 unsigned sender_bits, unsigned epoch_bits);
  static MlsKid decode(uint64_t kid, unsigned sender_bits, unsigned epoch_bits);

  friend bool operator==(const MlsKid&, const MlsKid&) = default;
};

// What MlsContext::unprotect() found.
struct MlsUnprotected {
  uint64_t epoch = 0;  // the full epoch number the frame was sent in
  uint64_t sender_index = 0;
  uint64_t context_id = 0;
  uint64_t ctr = 0;
  size_t size = 0;  // plaintext bytes written
};

class MlsContext {
 public:
  struct Config {
    unsigned epoch_bits = 4;   // E
    unsigned sender_bits = 8;  // S for add_epoch() calls that do not give one
    Clock::Duration grace_period = std::chrono::seconds(5);
  };

  // Errc::invalid_parameter when E + S > 64. The clock must outlive the
  // context.
  static Result<MlsContext> create(const CipherSuite& suite, const Config& config,
                                   const Clock& clock);

  const CipherSuite& suite() const { return *suite_; }
  size_t max_overhead() const { return Header::kMaxSize + suite_->nt; }

  // Installs the secret of a new epoch and makes it current; the previous
  // current epoch starts its grace period. Errors: stale_epoch (not newer
  // than the current one), invalid_key (not Nk bytes), invalid_parameter
  // (E + sender_bits > 64).
  Status add_epoch(uint64_t epoch, BytesView sframe_epoch_secret);
  Status add_epoch(uint64_t epoch, BytesView sframe_epoch_secret, unsigned sender_bits);

  // protect() keeps sealing in the epoch before the current one for `delay`
  // more (measured on the clock), if that epoch is held; then it seals in
  // the current one. Members call it right after add_epoch() when the new
  // epoch removed nobody: others apply the same commit a little later, and
  // frames sealed in the new epoch before they do would not open there.
  // After a removal the switch is immediate (the departed member holds the
  // old key). unprotect() is not affected: every held epoch opens.
  void delay_send_switch(Clock::Duration delay);
  // The epoch protect() seals in now.
  std::optional<uint64_t> send_epoch() const;

  // Forgets every epoch older than `epoch` (the current one too, if older).
  void purge_before(uint64_t epoch);
  // Forgets the epochs whose grace period is over.
  void purge_expired();

  std::optional<uint64_t> current_epoch() const;
  // The epochs held, oldest first (expired ones until they are purged).
  std::vector<uint64_t> epochs() const;

  // The KID this member sends under in `epoch` (which must be held).
  Result<uint64_t> kid(uint64_t epoch, uint64_t sender_index, uint64_t context_id) const;

  // Protects a frame as sender_index (this member's leaf index) in the
  // current epoch (or the one delay_send_switch() holds), or in a given
  // epoch still within its grace period.
  // Errors: unknown_epoch, epoch_expired, invalid_parameter, and those of
  // Context::protect.
  Result<size_t> protect(uint64_t sender_index, uint64_t context_id, BytesView metadata,
                         BytesView plaintext, MutableBytesView out);
  Result<size_t> protect_in_epoch(uint64_t epoch, uint64_t sender_index, uint64_t context_id,
                                  BytesView metadata, BytesView plaintext, MutableBytesView out);

  // Finds the epoch by the KID's low E bits, derives the sender's key if
  // needed, and unprotects. Errors: unknown_epoch, epoch_expired, and those
  // of Context::unprotect. A failed call changes no state.
  Result<MlsUnprotected> unprotect(BytesView metadata, BytesView ciphertext,
                                   MutableBytesView out);

 private:
  struct Epoch {
    uint64_t epoch;
    unsigned sender_bits;
    SecretBytes base_key;
    std::optional<Clock::TimePoint> retired_at;  // when a newer epoch arrived
    Context keys;
  };

  MlsContext(const CipherSuite& suite, const Config& config, const Clock& clock);
  Epoch* find_epoch(uint64_t epoch);
  Epoch* find_by_low_bits(uint64_t epoch_bits);
  bool expired(const Epoch& e, Clock::TimePoint now) const;
  Result<size_t> protect_in(Epoch& e, uint64_t sender_index, uint64_t context_id,
                            BytesView metadata, BytesView plaintext, MutableBytesView out);

  const CipherSuite* suite_;
  Config config_;
  const Clock* clock_;
  std::vector<Epoch> epochs_;  // oldest first; the last one is current
  // delay_send_switch(): protect() seals in this epoch until then.
  std::optional<uint64_t> send_hold_epoch_;
  Clock::TimePoint send_hold_until_{};
};

}  // namespace conclave::sframe
