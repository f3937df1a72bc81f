#include "conclave/sframe/mls_context.h"

#include <algorithm>

namespace conclave::sframe {
namespace {

// Shifts and masks that are defined for every bit count 0..64.
uint64_t low_mask(unsigned bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }
uint64_t shl(uint64_t v, unsigned bits) { return bits >= 64 ? 0 : v << bits; }
uint64_t shr(uint64_t v, unsigned bits) { return bits >= 64 ? 0 : v >> bits; }

bool fits(uint64_t v, unsigned bits) { return (v & ~low_mask(bits)) == 0; }

}  // namespace

Result<uint64_t> MlsKid::encode(uint64_t context_id, uint64_t sender_index, uint64_t epoch,
                                unsigned sender_bits, unsigned epoch_bits) {
  if (epoch_bits + sender_bits > 64) return Error(Errc::invalid_parameter, "E + S > 64");
  if (!fits(sender_index, sender_bits)) {
    return Error(Errc::invalid_parameter, "sender index needs more than S bits");
  }
  if (!fits(context_id, 64 - sender_bits - epoch_bits)) {
    return Error(Errc::invalid_parameter, "context needs more than 64 - S - E bits");
  }
  return shl(context_id, sender_bits + epoch_bits) | shl(sender_index, epoch_bits) |
         (epoch & low_mask(epoch_bits));
}

MlsKid MlsKid::decode(uint64_t kid, unsigned sender_bits, unsigned epoch_bits) {
  return MlsKid{shr(kid, sender_bits + epoch_bits), shr(kid, epoch_bits) & low_mask(sender_bits),
                kid & low_mask(epoch_bits)};
}

MlsContext::MlsContext(const CipherSuite& suite, const Config& config, const Clock& clock)
    : suite_(&CipherSuite::get(suite.id)), config_(config), clock_(&clock) {}

Result<MlsContext> MlsContext::create(const CipherSuite& suite, const Config& config,
                                      const Clock& clock) {
  if (config.epoch_bits + config.sender_bits > 64 || config.epoch_bits > 64) {
    return Error(Errc::invalid_parameter, "E + S > 64");
  }
  if (config.grace_period < Clock::Duration::zero()) {
    return Error(Errc::invalid_parameter, "negative grace period");
  }
  return MlsContext(suite, config, clock);
}

bool MlsContext::expired(const Epoch& e, Clock::TimePoint now) const {
  return e.retired_at && now - *e.retired_at >= config_.grace_period;
}

MlsContext::Epoch* MlsContext::find_epoch(uint64_t epoch) {
  for (Epoch& e : epochs_) {
    if (e.epoch == epoch) return &e;
  }
  return nullptr;
}

MlsContext::Epoch* MlsContext::find_by_low_bits(uint64_t epoch_bits) {
  // add_epoch() keeps at most one epoch per value of the low E bits.
  const uint64_t mask = low_mask(config_.epoch_bits);
  for (Epoch& e : epochs_) {
    if ((e.epoch & mask) == epoch_bits) return &e;
  }
  return nullptr;
}

Status MlsContext::add_epoch(uint64_t epoch, BytesView sframe_epoch_secret) {
  return add_epoch(epoch, sframe_epoch_secret, config_.sender_bits);
}

Status MlsContext::add_epoch(uint64_t epoch, BytesView sframe_epoch_secret,
                             unsigned sender_bits) {
  if (!epochs_.empty() && epoch <= epochs_.back().epoch) return Errc::stale_epoch;
  if (sframe_epoch_secret.size() != suite_->nk) {
    return Error(Errc::invalid_key, "sframe_epoch_secret is not AEAD.Nk bytes");
  }
  if (config_.epoch_bits + sender_bits > 64) return Error(Errc::invalid_parameter, "E + S > 64");

  const Clock::TimePoint now = clock_->now();
  if (!epochs_.empty()) epochs_.back().retired_at = now;
  const uint64_t mask = low_mask(config_.epoch_bits);
  std::erase_if(epochs_, [&](const Epoch& e) {
    return (e.epoch & mask) == (epoch & mask) || expired(e, now);
  });
  epochs_.push_back(Epoch{epoch, sender_bits, SecretBytes(sframe_epoch_secret), std::nullopt,
                          Context(*suite_)});
  send_hold_epoch_.reset();  // a hold names the epoch before the current one only
  return ok_status();
}

void MlsContext::delay_send_switch(Clock::Duration delay) {
  send_hold_epoch_.reset();
  if (epochs_.size() < 2 || delay <= Clock::Duration::zero()) return;
  send_hold_epoch_ = epochs_[epochs_.size() - 2].epoch;
  send_hold_until_ = clock_->now() + delay;
}

std::optional<uint64_t> MlsContext::send_epoch() const {
  if (epochs_.empty()) return std::nullopt;
  if (send_hold_epoch_ && clock_->now() < send_hold_until_) {
    for (const Epoch& e : epochs_) {
      if (e.epoch == *send_hold_epoch_ && !expired(e, clock_->now())) return e.epoch;
    }
  }
  return epochs_.back().epoch;
}

void MlsContext::purge_before(uint64_t epoch) {
  std::erase_if(epochs_, [&](const Epoch& e) { return e.epoch < epoch; });
}

void MlsContext::purge_expired() {
  const Clock::TimePoint now = clock_->now();
  std::erase_if(epochs_, [&](const Epoch& e) { return expired(e, now); });
}

std::optional<uint64_t> MlsContext::current_epoch() const {
  if (epochs_.empty()) return std::nullopt;
  return epochs_.back().epoch;
}

std::vector<uint64_t> MlsContext::epochs() const {
  std::vector<uint64_t> out;
  out.reserve(epochs_.size());
  for (const Epoch& e : epochs_) out.push_back(e.epoch);
  return out;
}

Result<uint64_t> MlsContext::kid(uint64_t epoch, uint64_t sender_index,
                                 uint64_t context_id) const {
  for (const Epoch& e : epochs_) {
    if (e.epoch == epoch) {
      return MlsKid::encode(context_id, sender_index, epoch, e.sender_bits, config_.epoch_bits);
    }
  }
  return Errc::unknown_epoch;
}

Result<size_t> MlsContext::protect_in(Epoch& e, uint64_t sender_index, uint64_t context_id,
                                      BytesView metadata, BytesView plaintext,
                                      MutableBytesView out) {
  if (e.retired_at && expired(e, clock_->now())) return Errc::epoch_expired;
  CV_TRY(uint64_t kid,
         MlsKid::encode(context_id, sender_index, e.epoch, e.sender_bits, config_.epoch_bits));
  if (!e.keys.has_key(kid)) {
    CV_TRY_STATUS(e.keys.add_key(kid, KeyUsage::protect, e.base_key.view()));
  }
  return e.keys.protect(kid, metadata, plaintext, out);
}

Result<size_t> MlsContext::protect(uint64_t sender_index, uint64_t context_id,
                                   BytesView metadata, BytesView plaintext,
                                   MutableBytesView out) {
  const std::optional<uint64_t> epoch = send_epoch();
  if (!epoch) return Errc::unknown_epoch;
  return protect_in(*find_epoch(*epoch), sender_index, context_id, metadata, plaintext, out);
}

Result<size_t> MlsContext::protect_in_epoch(uint64_t epoch, uint64_t sender_index,
                                            uint64_t context_id, BytesView metadata,
                                            BytesView plaintext, MutableBytesView out) {
  Epoch* e = find_epoch(epoch);
  if (e == nullptr) return Errc::unknown_epoch;
  return protect_in(*e, sender_index, context_id, metadata, plaintext, out);
}

Result<MlsUnprotected> MlsContext::unprotect(BytesView metadata, BytesView ciphertext,
                                             MutableBytesView out) {
  CV_TRY(ParsedHeader parsed, Header::parse(ciphertext));
  const uint64_t kid = parsed.header.kid;
  Epoch* e = find_by_low_bits(kid & low_mask(config_.epoch_bits));
  if (e == nullptr) return Errc::unknown_epoch;
  // Only superseded epochs can expire; the current one needs no clock read.
  if (e->retired_at && expired(*e, clock_->now())) return Errc::epoch_expired;
  const MlsKid fields = MlsKid::decode(kid, e->sender_bits, config_.epoch_bits);

  const bool derived_now = !e->keys.has_key(kid);
  if (derived_now) {
    CV_TRY_STATUS(e->keys.add_key(kid, KeyUsage::unprotect, e->base_key.view()));
  }
  auto r = e->keys.unprotect(metadata, ciphertext, out);
  if (!r.ok()) {
    // Keep a derived key only for a KID that proved genuine.
    if (derived_now) (void)e->keys.remove_key(kid);
    return r.error();
  }
  return MlsUnprotected{e->epoch, fields.sender_index, fields.context_id, r->header.ctr, r->size};
}

}  // namespace conclave::sframe
