// libFuzzer target for Welcome processing (RFC 9420 section 12.4.3.1): the
// input is taken as an MLSMessage and, when it carries a Welcome, processed
// with fixed keys — those of the first case of welcome.json (suite 1), so
// that the seeds from that file reach every step: finding our entry, HPKE,
// the PSK lookup, the GroupInfo AEAD, its signature, the key schedule and
// the confirmation tag. The input is also tried as a bare Welcome. Hostile
// input must fail with an error: never crash, leak or trip a sanitizer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "conclave/base/bytes.h"
#include "conclave/base/encoding.h"
#include "conclave/mls/mls_message.h"
#include "conclave/mls/welcome_processing.h"

namespace {

using conclave::Bytes;
using conclave::BytesView;
namespace mls = conclave::mls;

constexpr const char* kInitPriv =
    "c697caf7ae54f695f9411d9dc81a206b91fabcaac62a13763213a045ecd72b1e";
constexpr const char* kSignerPub =
    "4e61ed19803e994259745f59aabd3f0be3c171ae99d49a29974b5a5cee134241";
constexpr const char* kKeyPackage =
    "00010005000100012028b2cd6417984dc4708c61a1cce7c0f11d181bd36d6f7a610ea21cb96f79ba6020275d"
    "9e6337b11a5e21ba755f2353053a500103efa1c5ac7c07d3a78f8817ad2d203de79c7e370156ce25a88d897a"
    "8ea7c8f90fea1f71fbeb5f31855312d8750007000120b640fbb0df8e646b29c83c5ed08aea89f72ab1089228"
    "27ea76cd3b917d6d99420200010c00010002000300040005000600000400010002010000000000000000ffff"
    "ffffffffffff004040fd81837a40a9ba774bb44db665081f4d0ff2a8f680ce5c902b17acc4ae6d9a14b9d4e9"
    "b4f8e7d74af8ff42032ec9caadf267e85931b550eebbe480150d4b9b0a0040401ec696ab731d5a7b1092b0db"
    "9912fe35086e188ce2946996bdf3cec463849f1a32f653b6e246b8b85a486ce3f604891501052c3d7bbee215"
    "5fff6a367e5a1f03";

struct Keys {
  mls::KeyPackage key_package;
  conclave::crypto::DhPrivateKey init_priv;
  Bytes signer_pub;
};

// The fixed keys; a broken constant is a bug of this file: abort.
const Keys& keys() {
  static const Keys k = [] {
    auto suite =
        mls::CipherSuite::create(mls::CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519);
    auto kp_bytes = conclave::from_hex(kKeyPackage);
    auto init_bytes = conclave::from_hex(kInitPriv);
    auto signer = conclave::from_hex(kSignerPub);
    if (!suite.ok() || !kp_bytes.ok() || !init_bytes.ok() || !signer.ok()) std::abort();
    auto msg = mls::decode_mls_message(*kp_bytes);
    if (!msg.ok() || msg->key_package() == nullptr) std::abort();
    auto init = suite->import_hpke_private_key(*init_bytes);
    if (!init.ok()) std::abort();
    return Keys{*msg->key_package(), std::move(init).value(), std::move(signer).value()};
  }();
  return k;
}

void process(const mls::Welcome& welcome) {
  const Keys& k = keys();
  // Every PSK is "held" (a fixed value), so PSK lists are exercised too.
  auto psks = [](const mls::PreSharedKeyID&) {
    return std::optional<conclave::SecretBytes>(conclave::SecretBytes(Bytes(32, 0x50)));
  };
  auto signer = [&k](const mls::GroupInfo&) -> conclave::Result<Bytes> { return k.signer_pub; };
  auto result = mls::process_welcome(welcome, k.key_package, k.init_priv, psks, signer);
  if (result.ok() && result->group_info.group_context.cipher_suite != k.key_package.cipher_suite) {
    std::abort();  // MLS-V-WEL-008 let a mismatch through
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const BytesView input(data, size);
  if (auto msg = mls::decode_mls_message(input); msg.ok() && msg->welcome() != nullptr) {
    process(*msg->welcome());
  }
  if (auto welcome = mls::decode_welcome(input); welcome.ok()) process(*welcome);
  return 0;
}
