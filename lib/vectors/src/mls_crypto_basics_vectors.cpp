// check_mls_crypto_basics: the mlswg crypto-basics.json vectors, one case
// per cipher suite with six sub-tests (RFC 9420 sections 5 and 8):
//   ref_hash            RefHash(label, value) == out (label verbatim)
//   expand_with_label   ExpandWithLabel(secret, label, context, length) == out
//   derive_secret       DeriveSecret(secret, label) == out
//   derive_tree_secret  DeriveTreeSecret(secret, label, generation, length) == out
//   sign_with_label     the given signature verifies under pub; priv matches
//                       pub; a fresh signature by priv verifies too
//   encrypt_with_label  DecryptWithLabel(priv, ..., kem_output, ciphertext)
//                       == plaintext; a fresh encryption to pub decrypts too
// Signatures and ciphertexts are randomised, so fresh ones are checked by
// round trip, not compared. A case fails if any sub-test does.
#include <nlohmann/json.hpp>
#include <string>

#include "conclave/mls/cipher_suite.h"
#include "conclave/vectors/runner.h"
#include "mls_key_vectors_util.h"

namespace conclave::vectors {

namespace {

using nlohmann::json;
using namespace mls_keys;  // NOLINT(google-build-using-namespace)

void check_ref_hash(const mls::CipherSuite& suite, const json& v, CaseCheck& c) {
  const json* t = need_object(v, "ref_hash", "ref_hash", c);
  if (t == nullptr) return;
  auto label = need_string(*t, "label", "ref_hash.label", c);
  auto value = need_hex(*t, "value", "ref_hash.value", c);
  auto out = need_hex(*t, "out", "ref_hash.out", c);
  if (!label || !value || !out) return;
  expect_bytes(c, "ref_hash.out", *out, suite.ref_hash(*label, *value));
}

void check_expand_with_label(const mls::CipherSuite& suite, const json& v, CaseCheck& c) {
  const json* t = need_object(v, "expand_with_label", "expand_with_label", c);
  if (t == nullptr) return;
  auto secret = need_hex(*t, "secret", "expand_with_label.secret", c);
  auto label = need_string(*t, "label", "expand_with_label.label", c);
  auto context = need_hex(*t, "context", "expand_with_label.context", c);
  auto length = need_uint(*t, "length", "expand_with_label.length", c, 0xFFFF);
  auto out = need_hex(*t, "out", "expand_with_label.out", c);
  if (!secret || !label || !context || !length || !out) return;
  auto got = suite.expand_with_label(*secret, *label, *context, *length);
  if (!got.ok()) return fail_error(c, "expand_with_label.out", got.error());
  expect_bytes(c, "expand_with_label.out", *out, got->view());
}

void check_derive_secret(const mls::CipherSuite& suite, const json& v, CaseCheck& c) {
  const json* t = need_object(v, "derive_secret", "derive_secret", c);
  if (t == nullptr) return;
  auto secret = need_hex(*t, "secret", "derive_secret.secret", c);
  auto label = need_string(*t, "label", "derive_secret.label", c);
  auto out = need_hex(*t, "out", "derive_secret.out", c);
  if (!secret || !label || !out) return;
  auto got = suite.derive_secret(*secret, *label);
  if (!got.ok()) return fail_error(c, "derive_secret.out", got.error());
  expect_bytes(c, "derive_secret.out", *out, got->view());
}

void check_derive_tree_secret(const mls::CipherSuite& suite, const json& v, CaseCheck& c) {
  const json* t = need_object(v, "derive_tree_secret", "derive_tree_secret", c);
  if (t == nullptr) return;
  auto secret = need_hex(*t, "secret", "derive_tree_secret.secret", c);
  auto label = need_string(*t, "label", "derive_tree_secret.label", c);
  auto generation = need_uint(*t, "generation", "derive_tree_secret.generation", c, 0xFFFFFFFF);
  auto length = need_uint(*t, "length", "derive_tree_secret.length", c, 0xFFFF);
  auto out = need_hex(*t, "out", "derive_tree_secret.out", c);
  if (!secret || !label || !generation || !length || !out) return;
  auto got = suite.derive_tree_secret(*secret, *label, static_cast<uint32_t>(*generation), *length);
  if (!got.ok()) return fail_error(c, "derive_tree_secret.out", got.error());
  expect_bytes(c, "derive_tree_secret.out", *out, got->view());
}

void check_sign_with_label(const mls::CipherSuite& suite, const json& v, CaseCheck& c) {
  const json* t = need_object(v, "sign_with_label", "sign_with_label", c);
  if (t == nullptr) return;
  auto priv = need_hex(*t, "priv", "sign_with_label.priv", c);
  auto pub = need_hex(*t, "pub", "sign_with_label.pub", c);
  auto content = need_hex(*t, "content", "sign_with_label.content", c);
  auto label = need_string(*t, "label", "sign_with_label.label", c);
  auto signature = need_hex(*t, "signature", "sign_with_label.signature", c);
  if (!priv || !pub || !content || !label || !signature) return;

  auto pk = suite.import_signature_public_key(*pub);
  if (!pk.ok()) return fail_error(c, "sign_with_label.pub", pk.error());
  if (auto st = suite.verify_with_label(*pk, *label, *content, *signature); !st.ok()) {
    fail_error(c, "sign_with_label.signature", st.error());
  }
  auto sk = suite.import_signature_private_key(*priv);
  if (!sk.ok()) return fail_error(c, "sign_with_label.priv", sk.error());
  expect_bytes(c, "sign_with_label.priv (its public key)", *pub, sk->public_key().bytes());
  auto fresh = suite.sign_with_label(*sk, *label, *content);
  if (!fresh.ok()) return fail_error(c, "sign_with_label (sign afresh)", fresh.error());
  if (auto st = suite.verify_with_label(*pk, *label, *content, *fresh); !st.ok()) {
    fail_error(c, "sign_with_label (verify own signature)", st.error());
  }
}

void check_encrypt_with_label(const mls::CipherSuite& suite, const json& v, CaseCheck& c) {
  const json* t = need_object(v, "encrypt_with_label", "encrypt_with_label", c);
  if (t == nullptr) return;
  auto priv = need_hex(*t, "priv", "encrypt_with_label.priv", c);
  auto pub = need_hex(*t, "pub", "encrypt_with_label.pub", c);
  auto label = need_string(*t, "label", "encrypt_with_label.label", c);
  auto context = need_hex(*t, "context", "encrypt_with_label.context", c);
  auto plaintext = need_hex(*t, "plaintext", "encrypt_with_label.plaintext", c);
  auto kem_output = need_hex(*t, "kem_output", "encrypt_with_label.kem_output", c);
  auto ciphertext = need_hex(*t, "ciphertext", "encrypt_with_label.ciphertext", c);
  if (!priv || !pub || !label || !context || !plaintext || !kem_output || !ciphertext) return;

  auto sk = suite.import_hpke_private_key(*priv);
  if (!sk.ok()) return fail_error(c, "encrypt_with_label.priv", sk.error());
  expect_bytes(c, "encrypt_with_label.priv (its public key)", *pub, sk->public_key().bytes());
  auto pt = suite.decrypt_with_label(*sk, *label, *context, *kem_output, *ciphertext);
  if (!pt.ok()) {
    fail_error(c, "encrypt_with_label.ciphertext (decrypt)", pt.error());
  } else {
    expect_bytes(c, "encrypt_with_label.plaintext", *plaintext, *pt);
  }
  auto sealed = suite.encrypt_with_label(BytesView(*pub), *label, *context, *plaintext);
  if (!sealed.ok()) return fail_error(c, "encrypt_with_label (encrypt afresh)", sealed.error());
  auto back = suite.decrypt_with_label(*sk, *label, *context, sealed->enc, sealed->ct);
  if (!back.ok()) return fail_error(c, "encrypt_with_label (decrypt own)", back.error());
  expect_bytes(c, "encrypt_with_label (decrypt own)", *plaintext, *back);
}

}  // namespace

Report check_mls_crypto_basics(const json& doc) {
  Report report;
  if (!doc.is_array()) {
    CaseCheck c(report, "file");
    c.fail("file", "not a JSON array");
    return report;
  }
  for (size_t i = 0; i < doc.size(); ++i) {
    CaseCheck c(report, "", i);
    const json& v = doc[i];
    auto suite = need_suite(v, c);
    if (!suite) continue;
    check_ref_hash(*suite, v, c);
    check_expand_with_label(*suite, v, c);
    check_derive_secret(*suite, v, c);
    check_derive_tree_secret(*suite, v, c);
    check_sign_with_label(*suite, v, c);
    check_encrypt_with_label(*suite, v, c);
  }
  return report;
}

}  // namespace conclave::vectors
