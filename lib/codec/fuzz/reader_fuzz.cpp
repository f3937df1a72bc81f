// libFuzzer target for the codec: decodes the input as several nested
// CV_TLS_FIELDS types (vectors of structs with optionals, enums, fixed
// arrays, a tagged variant, a recursive type, a custom codec) and as a raw
// varint. The oracle: a successful decode re-encodes to exactly the bytes it
// consumed (the encoding is canonical); a failed decode leaves the reader
// where it was. Any violation aborts.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <variant>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/codec/reader.h"
#include "conclave/codec/tls.h"
#include "conclave/codec/writer.h"

namespace conclave::codec::fuzz {

enum class NodeKind : uint16_t { leaf = 1, parent = 2, blank = 3 };
enum class Color : uint8_t { red = 0, green = 1, blue = 2 };
constexpr bool tls_valid(Color c) {
  return c <= Color::blue;
}

struct Leaf {
  static constexpr NodeKind kType = NodeKind::leaf;
  Bytes encryption_key;
  std::optional<uint32_t> index;
  Color color = Color::red;
  CV_TLS_FIELDS(encryption_key, index, color)
};

struct Parent {
  static constexpr NodeKind kType = NodeKind::parent;
  SecretBytes path_secret;
  std::vector<uint32_t> unmerged_leaves;
  std::array<uint8_t, 2> hint{};
  CV_TLS_FIELDS(path_secret, unmerged_leaves, hint)
};

struct Blank {
  static constexpr NodeKind kType = NodeKind::blank;
  CV_TLS_FIELDS()
};

using NodeBody = std::variant<Leaf, Parent, Blank>;

struct TreeNode {
  uint8_t flags = 0;
  std::optional<NodeBody> body;
  std::vector<Bytes> extensions;
  CV_TLS_FIELDS(flags, body, extensions)
};

struct Tree {
  uint64_t epoch = 0;
  std::vector<std::optional<TreeNode>> nodes;
  std::optional<std::vector<NodeBody>> pending;
  CV_TLS_FIELDS(epoch, nodes, pending)
};

struct Recursive {
  uint8_t label = 0;
  std::vector<Recursive> children;
  CV_TLS_FIELDS(label, children)
};

// Tag first, then another field, then the select() body.
struct Framed {
  Bytes authenticated_data;
  NodeBody body;
  void tls_encode(Writer& w) const {
    encode(w, variant_tag(body));
    encode(w, authenticated_data);
    encode_variant_body(w, body);
  }
  Status tls_decode(Reader& r) {
    CV_TRY(const NodeKind kind, decode<NodeKind>(r));
    CV_TRY(authenticated_data, decode<Bytes>(r));
    CV_TRY(body, decode_variant_body<NodeBody>(r, kind));
    return {};
  }
};

void require(bool ok) {
  if (!ok) std::abort();
}

template <class T>
void round_trip(BytesView data, ReaderLimits limits) {
  Reader r(data, limits);
  auto value = decode<T>(r);
  if (!value.ok()) {
    require(r.position() == 0 && r.depth() == 0);
    return;
  }
  const BytesView consumed = r.consumed_since(0);
  const Bytes again = encode(*value);
  require(equal(again, consumed));
  // The whole-input form agrees with the reader form.
  require(decode<T>(data, limits).ok() == r.empty());
}

void varints(BytesView data) {
  Reader r(data);
  while (!r.empty()) {
    const size_t start = r.position();
    auto v = r.read_varint();
    if (!v.ok()) {
      require(r.position() == start);
      return;
    }
    Writer w;
    w.write_varint(*v);
    require(equal(w.view(), r.consumed_since(start)));
  }
}

}  // namespace conclave::codec::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace conclave::codec;        // NOLINT(google-build-using-namespace)
  using namespace conclave::codec::fuzz;  // NOLINT(google-build-using-namespace)
  const conclave::BytesView input(data, size);
  const ReaderLimits limits{.max_depth = 16, .max_length = kMaxVarint};
  varints(input);
  round_trip<Tree>(input, limits);
  round_trip<TreeNode>(input, limits);
  round_trip<NodeBody>(input, limits);
  round_trip<std::vector<Framed>>(input, limits);
  round_trip<Recursive>(input, limits);
  round_trip<std::vector<std::optional<std::vector<uint16_t>>>>(input, limits);
  return 0;
}
