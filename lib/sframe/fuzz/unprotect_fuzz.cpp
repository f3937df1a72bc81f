// libFuzzer target: SFrame unprotect (RFC 9605 section 4.4.4) on arbitrary
// bytes, for every cipher suite.
//
// The receive contexts, one per suite, are built once and live for the
// whole run (deriving and scheduling keys for every input would cut the
// speed a hundredfold). Each holds the base_key of the RFC 9605 appendix C
// vectors (000102..0f) for KID 0x123 -- so the seeds, the `ct` fields of
// those vectors, decrypt -- and the suite-4 context also holds keys for
// KIDs 0, 7 and 2^64-1. The metadata is the vectors' ("IETF SFrame WG").
// Replay windows thus carry over from input to input, and the oracles are
// written so that they hold whatever state a previous input left:
//   * a rejected frame changed nothing: a second attempt fails the same way;
//   * an accepted frame has the size header + plaintext + Nt, is rejected
//     as a replay the second time, and a fresh sending context
//     re-encrypting the plaintext under the same KID and CTR reproduces the
//     input exactly.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "conclave/sframe/context.h"

namespace {

using conclave::Bytes;
using conclave::BytesView;
using conclave::sframe::CipherSuite;
using conclave::sframe::Context;
using conclave::sframe::Errc;
using conclave::sframe::Header;
using conclave::sframe::KeyUsage;

constexpr std::array<uint8_t, 16> kBaseKey = {0, 1, 2,  3,  4,  5,  6,  7,
                                              8, 9, 10, 11, 12, 13, 14, 15};
constexpr std::array<uint8_t, 14> kMetadata = {'I', 'E', 'T', 'F', ' ', 'S', 'F',
                                               'r', 'a', 'm', 'e', ' ', 'W', 'G'};
constexpr uint64_t kVectorKid = 0x123;
constexpr uint64_t kExtraKids[] = {0, 7, ~uint64_t{0}};

void require(bool condition) {
  if (!condition) std::abort();
}

std::vector<Context> make_receivers() {
  std::vector<Context> out;
  for (const CipherSuite& suite : CipherSuite::all()) {
    Context recv(suite);
    require(recv.add_key(kVectorKid, KeyUsage::unprotect, kBaseKey).ok());
    if (suite.code_point() == 4) {
      for (uint64_t kid : kExtraKids) {
        require(recv.add_key(kid, KeyUsage::unprotect, kBaseKey).ok());
      }
    }
    out.push_back(std::move(recv));
  }
  return out;
}

void fuzz_suite(Context& recv, BytesView input, std::vector<uint8_t>& out) {
  const CipherSuite& suite = recv.suite();
  auto first = recv.unprotect(kMetadata, input, out);
  if (!first.ok()) {
    require(first.error().domain() == "sframe");
    auto second = recv.unprotect(kMetadata, input, out);
    require(!second.ok() && second.error().code() == first.error().code());
    return;
  }

  auto header = Header::parse(input);
  require(header.ok() && header->header == first->header);
  require(header->size + first->size + suite.nt == input.size());
  const Bytes plaintext(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(first->size));

  auto replayed = recv.unprotect(kMetadata, input, out);
  require(!replayed.ok() && replayed.error().is(Errc::replay));

  Context send(suite);
  require(send.add_key(first->header.kid, KeyUsage::protect, kBaseKey).ok());
  Bytes again(plaintext.size() + send.max_overhead());
  auto n = send.protect_with_counter(first->header.kid, first->header.ctr, kMetadata, plaintext,
                                     again);
  require(n.ok() && *n == input.size() && std::memcmp(again.data(), input.data(), *n) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::vector<Context> receivers = make_receivers();
  const BytesView input(data, size);
  std::vector<uint8_t> out(size);
  for (Context& recv : receivers) fuzz_suite(recv, input, out);
  return 0;
}
