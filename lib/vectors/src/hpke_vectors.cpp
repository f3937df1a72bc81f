// check_hpke: the RFC 9180 test vectors (cfrg test-vectors.json), one case
// per mode and suite. For each case:
//   1. DeriveKeyPair(ikmE / ikmR / ikmS) reproduces skXm and pkXm;
//   2. Encap / AuthEncap with the ephemeral key fixed to skEm gives enc and
//      shared_secret, and Decap / AuthDecap gives the same shared_secret;
//   3. the key schedule gives key_schedule_context, secret, key, base_nonce
//      and exporter_secret;
//   4. sender and receiver contexts set up from the same inputs seal every
//      encryption to ct and open it to pt, in order (sequence numbers past
//      255), and give every exported_value.
// A missing field or bad hex is a failure of that case, never a crash.
#include <cstdint>
#include <exception>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "conclave/base/encoding.h"
#include "conclave/crypto/dh.h"
#include "conclave/crypto/hpke.h"
#include "conclave/vectors/json_util.h"
#include "conclave/vectors/runner.h"

namespace conclave::vectors {

namespace {

using crypto::DhPrivateKey;
using crypto::DhPublicKey;
using crypto::Hpke;
using crypto::HpkeMode;
using nlohmann::json;

// Reads a hex field; records a failure under `field` and returns nullopt if
// it is missing or not hex.
std::optional<Bytes> need_hex(const json& obj, const char* name, const std::string& field,
                              CaseCheck& c) {
  auto bytes = hex_field(obj, name);
  if (!bytes.ok()) {
    c.fail(field, "missing or not a hex string");
    return std::nullopt;
  }
  return std::move(bytes).value();
}

std::optional<uint64_t> need_uint(const json& obj, const char* name, const std::string& field,
                                  CaseCheck& c) {
  auto it = obj.find(name);
  // Parsed files hold non-negative integers as unsigned; a document built
  // in code may hold them as signed.
  const bool non_negative = it != obj.end() && it->is_number_integer() &&
                            (it->is_number_unsigned() || it->get<int64_t>() >= 0);
  if (!non_negative) {
    c.fail(field, "missing or not an unsigned number");
    return std::nullopt;
  }
  return it->get<uint64_t>();
}

void expect_bytes(CaseCheck& c, const std::string& field, BytesView want, BytesView got) {
  if (!equal(want, got)) c.fail(field, describe_mismatch(want, got));
}

bool is_psk_mode(HpkeMode m) {
  return m == HpkeMode::psk || m == HpkeMode::auth_psk;
}
bool is_auth_mode(HpkeMode m) {
  return m == HpkeMode::auth || m == HpkeMode::auth_psk;
}

// One key pair of the case: DeriveKeyPair(ikmX) must give skXm and pkXm.
// Returns the keys decoded from skXm / pkXm for the later steps, so that a
// derivation bug is reported once and does not hide the rest.
struct CaseKey {
  DhPrivateKey sk;
  DhPublicKey pk;
};

std::optional<CaseKey> check_key_pair(const Hpke& hpke, const json& v, char who, CaseCheck& c) {
  const std::string ikm_name = std::string("ikm") + who;
  const std::string sk_name = std::string("sk") + who + "m";
  const std::string pk_name = std::string("pk") + who + "m";
  auto ikm = need_hex(v, ikm_name.c_str(), ikm_name, c);
  auto sk_bytes = need_hex(v, sk_name.c_str(), sk_name, c);
  auto pk_bytes = need_hex(v, pk_name.c_str(), pk_name, c);
  if (!ikm || !sk_bytes || !pk_bytes) return std::nullopt;

  auto derived = hpke.derive_key_pair(*ikm);
  if (!derived.ok()) {
    c.fail(sk_name, "DeriveKeyPair failed: " + derived.error().to_string());
  } else {
    expect_bytes(c, sk_name, *sk_bytes, crypto::dh_private_key_to_bytes(*derived).view());
    expect_bytes(c, pk_name, *pk_bytes, derived->public_key().bytes());
  }

  auto sk = hpke.deserialize_private_key(*sk_bytes);
  auto pk = hpke.deserialize_public_key(*pk_bytes);
  if (!sk.ok()) c.fail(sk_name, "cannot decode: " + sk.error().to_string());
  if (!pk.ok()) c.fail(pk_name, "cannot decode: " + pk.error().to_string());
  if (!sk.ok() || !pk.ok()) return std::nullopt;
  return CaseKey{std::move(sk).value(), std::move(pk).value()};
}

void check_case(const json& v, CaseCheck& c) {
  if (!v.is_object()) {
    c.fail("case", "not an object");
    return;
  }
  const auto mode_num = need_uint(v, "mode", "mode", c);
  const auto kem = need_uint(v, "kem_id", "kem_id", c);
  const auto kdf = need_uint(v, "kdf_id", "kdf_id", c);
  const auto aead = need_uint(v, "aead_id", "aead_id", c);
  if (!mode_num || !kem || !kdf || !aead) return;
  if (*mode_num > 3) {
    c.fail("mode", "unknown mode " + std::to_string(*mode_num));
    return;
  }
  if (*kem > 0xffff || *kdf > 0xffff || *aead > 0xffff) {
    c.fail("kem_id", "code point out of range");
    return;
  }
  const auto mode = static_cast<HpkeMode>(*mode_num);
  auto hpke_or = Hpke::create({static_cast<crypto::KemId>(*kem), static_cast<crypto::KdfId>(*kdf),
                               static_cast<crypto::HpkeAeadId>(*aead)});
  if (!hpke_or.ok()) {
    c.fail("suite", hpke_or.error().to_string());
    return;
  }
  const Hpke& hpke = *hpke_or;

  // Inputs and expected values.
  const auto info = need_hex(v, "info", "info", c);
  const auto enc = need_hex(v, "enc", "enc", c);
  const auto shared_secret = need_hex(v, "shared_secret", "shared_secret", c);
  const auto ksc = need_hex(v, "key_schedule_context", "key_schedule_context", c);
  const auto secret = need_hex(v, "secret", "secret", c);
  const auto key = need_hex(v, "key", "key", c);
  const auto base_nonce = need_hex(v, "base_nonce", "base_nonce", c);
  const auto exporter_secret = need_hex(v, "exporter_secret", "exporter_secret", c);
  std::optional<Bytes> psk = Bytes();
  std::optional<Bytes> psk_id = Bytes();
  if (is_psk_mode(mode)) {
    psk = need_hex(v, "psk", "psk", c);
    psk_id = need_hex(v, "psk_id", "psk_id", c);
  }
  if (!info || !enc || !shared_secret || !ksc || !secret || !key || !base_nonce ||
      !exporter_secret || !psk || !psk_id) {
    return;
  }

  // 1. Key pairs.
  const auto e = check_key_pair(hpke, v, 'E', c);
  const auto r = check_key_pair(hpke, v, 'R', c);
  std::optional<CaseKey> s;
  if (is_auth_mode(mode)) {
    s = check_key_pair(hpke, v, 'S', c);
    if (!s) return;
  }
  if (!e || !r) return;
  const std::optional<DhPrivateKey> sk_s = s ? std::optional(s->sk) : std::nullopt;
  const std::optional<DhPublicKey> pk_s = s ? std::optional(s->pk) : std::nullopt;

  // 2. The KEM.
  auto encapsulation = hpke.encap_for_testing(r->pk, sk_s, e->sk);
  if (!encapsulation.ok()) {
    c.fail("shared_secret", "Encap failed: " + encapsulation.error().to_string());
  } else {
    expect_bytes(c, "enc", *enc, encapsulation->enc);
    expect_bytes(c, "shared_secret", *shared_secret, encapsulation->shared_secret.view());
  }
  auto decapsulated = hpke.decap(*enc, r->sk, pk_s);
  if (!decapsulated.ok()) {
    c.fail("shared_secret", "Decap failed: " + decapsulated.error().to_string());
  } else {
    expect_bytes(c, "shared_secret", *shared_secret, decapsulated->view());
  }

  // 3. The key schedule, from the vector's shared secret.
  auto ks = hpke.key_schedule(mode, SecretBytes(*shared_secret), *info, *psk, *psk_id);
  if (!ks.ok()) {
    c.fail("key_schedule_context", "KeySchedule failed: " + ks.error().to_string());
    return;
  }
  expect_bytes(c, "key_schedule_context", *ksc, ks->key_schedule_context);
  expect_bytes(c, "secret", *secret, ks->secret.view());
  expect_bytes(c, "key", *key, ks->key.view());
  expect_bytes(c, "base_nonce", *base_nonce, ks->base_nonce);
  expect_bytes(c, "exporter_secret", *exporter_secret, ks->exporter_secret.view());

  // 4. Contexts, through the full setup path.
  crypto::HpkeSenderMode sender_mode{mode, *psk, *psk_id, sk_s};
  crypto::HpkeReceiverMode receiver_mode{mode, *psk, *psk_id, pk_s};
  auto sender = hpke.setup_sender_for_testing(r->pk, *info, sender_mode, e->sk);
  if (!sender.ok()) {
    c.fail("enc", "SetupS failed: " + sender.error().to_string());
    return;
  }
  expect_bytes(c, "enc", *enc, sender->enc);
  auto receiver = hpke.setup_receiver(*enc, r->sk, *info, receiver_mode);
  if (!receiver.ok()) {
    c.fail("enc", "SetupR failed: " + receiver.error().to_string());
    return;
  }
  crypto::HpkeContext& ctx_s = sender->context;
  crypto::HpkeContext& ctx_r = *receiver;

  const auto encryptions = v.find("encryptions");
  if (encryptions == v.end() || !encryptions->is_array()) {
    c.fail("encryptions", "missing or not an array");
  } else {
    if (ctx_s.is_export_only() && !encryptions->empty()) {
      c.fail("encryptions", "export-only suite with encryptions");
    }
    for (size_t i = 0; i < encryptions->size() && !ctx_s.is_export_only(); ++i) {
      const json& enc_case = (*encryptions)[i];
      const std::string at = "encryptions[" + std::to_string(i) + "].";
      const auto aad = need_hex(enc_case, "aad", at + "aad", c);
      const auto ct = need_hex(enc_case, "ct", at + "ct", c);
      const auto nonce = need_hex(enc_case, "nonce", at + "nonce", c);
      const auto pt = need_hex(enc_case, "pt", at + "pt", c);
      if (!aad || !ct || !nonce || !pt) continue;

      // The vector's nonce is base_nonce XOR I2OSP(i, Nn).
      Bytes want_nonce = ks->base_nonce;
      for (size_t b = 0; b < 8 && b < want_nonce.size(); ++b) {
        want_nonce[want_nonce.size() - 1 - b] ^= static_cast<uint8_t>(uint64_t{i} >> (8 * b));
      }
      expect_bytes(c, at + "nonce", *nonce, want_nonce);
      // Entry i is message i. After a malformed entry (skipped) or a failed
      // seal or open, bring the contexts back in step; in the normal course
      // they advance themselves, which is checked after each message.
      const uint64_t seq = i;
      if (ctx_s.sequence_number() != seq) ctx_s.set_sequence_number_for_testing(seq);
      if (ctx_r.sequence_number() != seq) ctx_r.set_sequence_number_for_testing(seq);

      auto sealed = ctx_s.seal(*aad, *pt);
      if (!sealed.ok()) {
        c.fail(at + "ct", "Seal failed: " + sealed.error().to_string());
      } else {
        expect_bytes(c, at + "ct", *ct, *sealed);
        if (ctx_s.sequence_number() != seq + 1) c.fail(at + "ct", "sender sequence not advanced");
      }
      // Open what was sealed (equal to ct when that matched), so that one
      // bad ct does not put the receiver out of step for the rest.
      auto opened = ctx_r.open(*aad, sealed.ok() ? BytesView(*sealed) : BytesView(*ct));
      if (!opened.ok()) {
        c.fail(at + "pt", "Open failed: " + opened.error().to_string());
      } else {
        expect_bytes(c, at + "pt", *pt, *opened);
        if (ctx_r.sequence_number() != seq + 1) c.fail(at + "pt", "receiver sequence not advanced");
      }
    }
  }

  const auto exports = v.find("exports");
  if (exports == v.end() || !exports->is_array()) {
    c.fail("exports", "missing or not an array");
    return;
  }
  for (size_t i = 0; i < exports->size(); ++i) {
    const json& exp_case = (*exports)[i];
    const std::string at = "exports[" + std::to_string(i) + "].";
    const auto exporter_context =
        need_hex(exp_case, "exporter_context", at + "exporter_context", c);
    const auto length = need_uint(exp_case, "L", at + "L", c);
    const auto exported_value = need_hex(exp_case, "exported_value", at + "exported_value", c);
    if (!exporter_context || !length || !exported_value) continue;
    if (*length > 0xffff) {
      c.fail(at + "L", "length out of range");
      continue;
    }
    for (const auto* ctx : {&ctx_s, &ctx_r}) {
      const std::string side = ctx == &ctx_s ? "sender: " : "receiver: ";
      auto got = ctx->export_secret(*exporter_context, static_cast<size_t>(*length));
      if (!got.ok()) {
        c.fail(at + "exported_value", side + "Export failed: " + got.error().to_string());
      } else if (!equal(*exported_value, got->view())) {
        c.fail(at + "exported_value", side + describe_mismatch(*exported_value, got->view()));
      }
    }
  }
}

}  // namespace

Report check_hpke(const nlohmann::json& doc) {
  Report report;
  if (!doc.is_array()) {
    CaseCheck c(report, "file");
    c.fail("file", "not an array of HPKE cases");
    return report;
  }
  for (size_t i = 0; i < doc.size(); ++i) {
    CaseCheck c(report, "", i);
    try {
      check_case(doc[i], c);
    } catch (const std::exception& ex) {
      // Only a malformed file could get here (a JSON type error); report it.
      c.fail("case", std::string("exception: ") + ex.what());
    }
  }
  return report;
}

}  // namespace conclave::vectors
