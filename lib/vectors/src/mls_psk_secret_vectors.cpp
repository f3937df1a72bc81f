// check_mls_psk_secret: the mlswg psk_secret.json vectors (RFC 9420 section
// 8.4). Each case lists 0 to 10 external PSKs (psk_id, psk, psk_nonce); they
// become PreSharedKeyIDs of type external, are chained in list order with
// their index and the total count in PSKLabel, and must give psk_secret
// (Nh zero bytes when there are none).
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "conclave/mls/key_schedule.h"
#include "conclave/mls/psk.h"
#include "conclave/vectors/runner.h"
#include "mls_key_vectors_util.h"

namespace conclave::vectors {

namespace {

using nlohmann::json;
using namespace mls_keys;  // NOLINT(google-build-using-namespace)

void check_case(const mls::CipherSuite& suite, const json& v, CaseCheck& c) {
  const json* psks = need_array(v, "psks", "psks", c);
  auto want = need_hex(v, "psk_secret", "psk_secret", c);
  if (psks == nullptr || !want) return;
  std::vector<mls::PskWithSecret> inputs;
  inputs.reserve(psks->size());
  for (size_t j = 0; j < psks->size(); ++j) {
    const std::string prefix = "psks[" + std::to_string(j) + "].";
    const json& p = (*psks)[j];
    auto psk_id = need_hex(p, "psk_id", prefix + "psk_id", c);
    auto psk = need_hex(p, "psk", prefix + "psk", c);
    auto nonce = need_hex(p, "psk_nonce", prefix + "psk_nonce", c);
    if (!psk_id || !psk || !nonce) return;
    mls::PskWithSecret in;
    in.id.content = mls::ExternalPSK{std::move(*psk_id)};
    in.id.psk_nonce = std::move(*nonce);
    in.psk = SecretBytes(*psk);
    inputs.push_back(std::move(in));
  }
  auto got = mls::KeySchedule::psk_secret(suite, inputs);
  if (!got.ok()) return fail_error(c, "psk_secret", got.error());
  expect_bytes(c, "psk_secret", *want, got->view());
}

}  // namespace

Report check_mls_psk_secret(const json& doc) {
  return check_suite_cases(
      doc, [](const auto& suite, const auto& v, auto& c) { check_case(suite, v, c); });
}

}  // namespace conclave::vectors
