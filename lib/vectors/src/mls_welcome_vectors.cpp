// check_mls_welcome: the mlswg welcome.json vectors (RFC 9420 section
// 12.4.3.1). Per case (one per suite): `key_package` and `welcome` are
// MLSMessages; the KeyPackageRef is computed over the bare KeyPackage. The
// Welcome is processed with `init_priv` and no PSKs: find our entry, open
// the GroupSecrets, open the GroupInfo, verify its signature with
// `signer_pub`, run the key schedule from joiner_secret and verify the
// confirmation tag (mls::process_welcome).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "conclave/mls/mls_message.h"
#include "conclave/mls/welcome_processing.h"
#include "conclave/vectors/runner.h"
#include "mls_key_vectors_util.h"

namespace conclave::vectors {

namespace {

using nlohmann::json;
using namespace mls_keys;  // NOLINT(google-build-using-namespace)

std::optional<mls::MLSMessage> read_message(const json& v, const char* field,
                                            mls::WireFormat wire_format, CaseCheck& c) {
  auto msg = need_message(v, field, field, c);
  if (msg && msg->wire_format() != wire_format) {
    c.fail(field, "MLSMessage of another wire format");
    return std::nullopt;
  }
  return msg;
}

void check_case(const json& v, CaseCheck& c) {
  auto suite = need_suite(v, c);
  auto init_priv = need_hex(v, "init_priv", "init_priv", c);
  auto signer_pub = need_hex(v, "signer_pub", "signer_pub", c);
  auto key_package = read_message(v, "key_package", mls::WireFormat::mls_key_package, c);
  auto welcome = read_message(v, "welcome", mls::WireFormat::mls_welcome, c);
  const mls::KeyPackage* kp = key_package ? key_package->key_package() : nullptr;
  const mls::Welcome* w = welcome ? welcome->welcome() : nullptr;
  if (!suite || !init_priv || !signer_pub || kp == nullptr || w == nullptr) return;

  if (kp->cipher_suite != suite->id()) {
    return c.fail("key_package", "KeyPackage of another cipher suite");
  }
  auto init_key = suite->import_hpke_private_key(*init_priv);
  if (!init_key.ok()) return fail_error(c, "init_priv", init_key.error());
  if (!equal(init_key->public_key().bytes(), kp->init_key)) {
    return c.fail("init_priv", "does not match the KeyPackage's init_key");
  }

  const Bytes signer = *signer_pub;
  auto processed = mls::process_welcome(
      *w, *kp, *init_key, [](const mls::PreSharedKeyID&) { return std::optional<SecretBytes>(); },
      [&signer](const mls::GroupInfo&) -> Result<Bytes> { return signer; });
  if (!processed.ok()) return fail_error(c, "welcome", processed.error());

  // What process_welcome returned fits the inputs.
  if (processed->group_info.group_context.cipher_suite != suite->id()) {
    c.fail("welcome", "GroupInfo of another cipher suite");
  }
  if (!equal(processed->psk_secret.view(), Bytes(suite->hash_size(), 0))) {
    c.fail("welcome", "psk_secret of no PSKs is not all zero");
  }
  if (processed->group_secrets.joiner_secret.view().size() != suite->hash_size()) {
    c.fail("welcome", "joiner_secret is not KDF.Nh bytes");
  }
}

}  // namespace

Report check_mls_welcome(const json& doc) {
  Report report;
  if (!doc.is_array()) {
    CaseCheck c(report, "file");
    c.fail("file", "not a JSON array");
    return report;
  }
  for (size_t i = 0; i < doc.size(); ++i) {
    CaseCheck c(report, "", i);
    check_case(doc[i], c);
  }
  return report;
}

}  // namespace conclave::vectors
