// check_sframe: the RFC 9605 test vectors of sframe-wg/sframe,
// test-vectors.json and test-vectors-aes256.json. Sections:
//   header                    Header::encode(kid, ctr) == encoded, and
//                             Header::parse(encoded) gives kid, ctr and the
//                             whole input as its size;
//   aes_ctr_hmac,             the CTR+HMAC AEAD on its own (FrameCipher):
//   aes_256_ctr_hmac          seal(key, nonce, aad, pt) == ct and
//                             open(key, nonce, aad, ct) == pt;
//   sframe,                   full SFrame: the labels and sframe_secret,
//   sframe_aes_256_ctr_hmac   sframe_key, sframe_salt from KeyDerivation,
//                             the nonce and the AAD, then a sending Context
//                             encrypts (kid, ctr, metadata, pt) to ct and a
//                             receiving Context decrypts ct back to pt.
// Failures are named "section[i]" with the field. A missing field, bad hex
// or an unknown section is a failure, never a crash.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "conclave/sframe/cipher_suite.h"
#include "conclave/sframe/context.h"
#include "conclave/sframe/frame_cipher.h"
#include "conclave/sframe/header.h"
#include "conclave/sframe/key_derivation.h"
#include "conclave/vectors/json_util.h"
#include "conclave/vectors/runner.h"

namespace conclave::vectors {
namespace {

using nlohmann::json;
using sframe::CipherSuite;

std::optional<Bytes> need_hex(const json& obj, const char* name, CaseCheck& c) {
  auto bytes = hex_field(obj, name);
  if (!bytes.ok()) {
    c.fail(name, "missing or not a hex string");
    return std::nullopt;
  }
  return std::move(bytes).value();
}

// KID and CTR go up to 2^64 - 1: read them as uint64_t, never as double.
std::optional<uint64_t> need_uint(const json& obj, const char* name, CaseCheck& c) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_number_unsigned()) {
    c.fail(name, "missing or not an unsigned number");
    return std::nullopt;
  }
  return it->get<uint64_t>();
}

std::optional<CipherSuite> need_suite(const json& obj, CaseCheck& c) {
  auto id = need_uint(obj, "cipher_suite", c);
  if (!id) return std::nullopt;
  auto suite = *id <= 0xffff ? CipherSuite::from_code_point(static_cast<uint16_t>(*id))
                             : Result<CipherSuite>(sframe::Errc::invalid_cipher_suite);
  if (!suite.ok()) {
    c.fail("cipher_suite", "unknown suite " + std::to_string(*id));
    return std::nullopt;
  }
  return *suite;
}

void expect_bytes(CaseCheck& c, const char* field, BytesView want, BytesView got) {
  if (!equal(want, got)) c.fail(field, describe_mismatch(want, got));
}

void expect_uint(CaseCheck& c, const char* field, uint64_t want, uint64_t got) {
  if (want != got) {
    c.fail(field, "expected " + std::to_string(want) + ", got " + std::to_string(got));
  }
}

void check_header_case(const json& v, CaseCheck& c) {
  auto kid = need_uint(v, "kid", c);
  auto ctr = need_uint(v, "ctr", c);
  auto encoded = need_hex(v, "encoded", c);
  if (!kid || !ctr || !encoded) return;

  const sframe::Header header{*kid, *ctr};
  Bytes out(sframe::Header::kMaxSize);
  auto n = header.encode(out);
  if (!n.ok()) {
    c.fail("encoded", "encode failed: " + n.error().to_string());
  } else {
    out.resize(*n);
    expect_bytes(c, "encoded", *encoded, out);
    expect_uint(c, "encoded", encoded->size(), header.encoded_size());
  }

  auto parsed = sframe::Header::parse(*encoded);
  if (!parsed.ok()) {
    c.fail("encoded", "parse failed: " + parsed.error().to_string());
    return;
  }
  expect_uint(c, "kid", *kid, parsed->header.kid);
  expect_uint(c, "ctr", *ctr, parsed->header.ctr);
  expect_uint(c, "encoded", encoded->size(), parsed->size);
}

void check_aead_case(const json& v, CaseCheck& c) {
  auto suite = need_suite(v, c);
  auto key = need_hex(v, "key", c);
  auto nonce = need_hex(v, "nonce", c);
  auto aad = need_hex(v, "aad", c);
  auto pt = need_hex(v, "pt", c);
  auto ct = need_hex(v, "ct", c);
  if (!suite || !key || !nonce || !aad || !pt || !ct) return;

  auto cipher = sframe::FrameCipher::create(*suite, *key);
  if (!cipher.ok()) {
    c.fail("key", cipher.error().to_string());
    return;
  }
  Bytes sealed(pt->size() + suite->nt);
  auto n = cipher->seal(*nonce, crypto::Aad(*aad), *pt, sealed);
  if (!n.ok()) {
    c.fail("ct", "encrypt failed: " + n.error().to_string());
  } else {
    sealed.resize(*n);
    expect_bytes(c, "ct", *ct, sealed);
  }

  Bytes opened(ct->size());
  auto m = cipher->open(*nonce, crypto::Aad(*aad), *ct, opened);
  if (!m.ok()) {
    c.fail("pt", "decrypt failed: " + m.error().to_string());
  } else {
    opened.resize(*m);
    expect_bytes(c, "pt", *pt, opened);
  }
}

void check_sframe_case(const json& v, CaseCheck& c) {
  auto suite = need_suite(v, c);
  auto kid = need_uint(v, "kid", c);
  auto ctr = need_uint(v, "ctr", c);
  auto base_key = need_hex(v, "base_key", c);
  auto key_label = need_hex(v, "sframe_key_label", c);
  auto salt_label = need_hex(v, "sframe_salt_label", c);
  auto secret = need_hex(v, "sframe_secret", c);
  auto key = need_hex(v, "sframe_key", c);
  auto salt = need_hex(v, "sframe_salt", c);
  auto metadata = need_hex(v, "metadata", c);
  auto nonce = need_hex(v, "nonce", c);
  auto aad = need_hex(v, "aad", c);
  auto pt = need_hex(v, "pt", c);
  auto ct = need_hex(v, "ct", c);
  if (!suite || !kid || !ctr || !base_key || !key_label || !salt_label || !secret || !key ||
      !salt || !metadata || !nonce || !aad || !pt || !ct) {
    return;
  }

  // The intermediates, as the library derives them.
  expect_bytes(c, "sframe_key_label", *key_label, sframe::KeyDerivation::key_label(*suite, *kid));
  expect_bytes(c, "sframe_salt_label", *salt_label,
               sframe::KeyDerivation::salt_label(*suite, *kid));
  auto derived = sframe::KeyDerivation::derive(*suite, *kid, *base_key);
  if (!derived.ok()) {
    c.fail("sframe_secret", "derive_key_salt failed: " + derived.error().to_string());
  } else {
    expect_bytes(c, "sframe_secret", *secret, derived->sframe_secret.view());
    expect_bytes(c, "sframe_key", *key, derived->sframe_key.view());
    expect_bytes(c, "sframe_salt", *salt, derived->sframe_salt.view());
    if (derived->sframe_salt.size() == suite->nn) {
      Bytes got_nonce(suite->nn);
      sframe::form_nonce(derived->sframe_salt.view(), *ctr, got_nonce);
      expect_bytes(c, "nonce", *nonce, got_nonce);
    }
  }
  Bytes header(sframe::Header::kMaxSize);
  if (auto n = sframe::Header{*kid, *ctr}.encode(header); n.ok()) {
    header.resize(*n);
    expect_bytes(c, "aad", *aad, concat({header, *metadata}));
  }

  // Sender: encrypt(CTR, KID, metadata, plaintext).
  sframe::Context sender(*suite);
  if (auto s = sender.add_key(*kid, sframe::KeyUsage::protect, *base_key); !s.ok()) {
    c.fail("base_key", "add_key failed: " + s.error().to_string());
    return;
  }
  Bytes sealed(pt->size() + sender.max_overhead());
  auto n = sender.protect_with_counter(*kid, *ctr, *metadata, *pt, sealed);
  if (!n.ok()) {
    c.fail("ct", "encrypt failed: " + n.error().to_string());
  } else {
    sealed.resize(*n);
    expect_bytes(c, "ct", *ct, sealed);
  }

  // Receiver: decrypt(metadata, sframe_ciphertext).
  sframe::Context receiver(*suite);
  if (auto s = receiver.add_key(*kid, sframe::KeyUsage::unprotect, *base_key); !s.ok()) {
    c.fail("base_key", "add_key failed: " + s.error().to_string());
    return;
  }
  Bytes opened(ct->size());
  auto r = receiver.unprotect(*metadata, *ct, opened);
  if (!r.ok()) {
    c.fail("pt", "decrypt failed: " + r.error().to_string());
    return;
  }
  opened.resize(r->size);
  expect_bytes(c, "pt", *pt, opened);
  expect_uint(c, "kid", *kid, r->header.kid);
  expect_uint(c, "ctr", *ctr, r->header.ctr);
}

using CaseFn = void (*)(const json&, CaseCheck&);

struct Section {
  const char* name;
  CaseFn check;
};

constexpr Section kSections[] = {
    {"header", check_header_case},
    {"aes_ctr_hmac", check_aead_case},
    {"aes_256_ctr_hmac", check_aead_case},
    {"sframe", check_sframe_case},
    {"sframe_aes_256_ctr_hmac", check_sframe_case},
};

}  // namespace

Report check_sframe(const json& doc) {
  Report report;
  if (!doc.is_object() || doc.empty()) {
    CaseCheck(report, "file").fail("", "expected an object of SFrame vector sections");
    return report;
  }
  for (const auto& [name, cases] : doc.items()) {
    const Section* section = nullptr;
    for (const Section& s : kSections) {
      if (name == s.name) section = &s;
    }
    if (section == nullptr) {
      CaseCheck(report, name).fail("", "unknown section, not checked");
      continue;
    }
    if (!cases.is_array()) {
      CaseCheck(report, name).fail("", "section is not an array");
      continue;
    }
    size_t i = 0;
    for (const json& v : cases) {
      CaseCheck c(report, name, i++);
      if (!v.is_object()) {
        c.fail("", "case is not an object");
        continue;
      }
      section->check(v, c);
    }
  }
  return report;
}

}  // namespace conclave::vectors
