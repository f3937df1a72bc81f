// libFuzzer target: the AV1 dependency descriptor extension.
//
// The first input byte selects the structure in force (none, L1T1, or the
// one attached to a previous descriptor of this input); the rest is a list
// of |len(1)|descriptor(len)| records parsed in order, as a receiver would.
// Oracle: each descriptor that parses serializes again and parses to an
// equal value against the same structure; frame_info() succeeds for it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "conclave/rtp/dependency_descriptor.h"

using conclave::BytesView;
using namespace conclave::rtp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::optional<FrameDependencyStructure> latest;
  if (data[0] & 1) latest = FrameDependencyStructure::single_layer(data[0] >> 2);
  size_t off = 1;
  while (off < size) {
    const size_t len = data[off++];
    const size_t n = len < size - off ? len : size - off;
    const BytesView dd(data + off, n);
    off += n;
    const FrameDependencyStructure* s = latest ? &*latest : nullptr;
    auto m = DependencyDescriptor::parse_mandatory(dd);
    auto parsed = DependencyDescriptor::parse(dd, s);
    if (!parsed.ok()) continue;
    if (!m.ok() || m->frame_number != parsed->frame_number ||
        m->has_structure != parsed->is_key_frame()) {
      std::abort();
    }
    const FrameDependencyStructure* in_force = parsed->structure(s);
    if (in_force == nullptr || !in_force->validate().ok()) std::abort();
    if (!parsed->frame_info(*in_force).ok()) std::abort();
    auto bytes = parsed->serialize(s);
    if (!bytes.ok()) std::abort();
    auto again = DependencyDescriptor::parse(*bytes, s);
    if (!again.ok() || !(*again == *parsed)) std::abort();
    if (parsed->attached_structure) latest = parsed->attached_structure;
  }
  return 0;
}
