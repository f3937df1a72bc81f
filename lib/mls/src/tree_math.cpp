#include "conclave/mls/tree_math.h"

#include "conclave/base/check.h"

namespace conclave::mls::tree_math {

uint32_t log2(uint32_t x) {
  if (x == 0) return 0;
  uint32_t k = 0;
  while ((x >> k) > 1) ++k;
  return k;
}

uint32_t level(NodeIndex x) {
  uint32_t k = 0;
  while (((x.value >> k) & 1u) == 1u) ++k;
  return k;
}

uint32_t node_width(uint32_t n_leaves) { return n_leaves == 0 ? 0 : 2 * (n_leaves - 1) + 1; }

NodeIndex root(uint32_t n_leaves) {
  const uint32_t w = node_width(n_leaves);
  return NodeIndex{(1u << log2(w)) - 1};
}

NodeIndex left(NodeIndex x) {
  const uint32_t k = level(x);
  CV_CHECK(k != 0);
  return NodeIndex{x.value ^ (1u << (k - 1))};
}

NodeIndex right(NodeIndex x) {
  const uint32_t k = level(x);
  CV_CHECK(k != 0);
  return NodeIndex{x.value ^ (3u << (k - 1))};
}

std::optional<NodeIndex> parent(NodeIndex x, uint32_t n_leaves) {
  if (x == root(n_leaves)) return std::nullopt;
  const uint32_t k = level(x);
  const uint32_t b = (x.value >> (k + 1)) & 1u;
  return NodeIndex{(x.value | (1u << k)) ^ (b << (k + 1))};
}

std::optional<NodeIndex> sibling(NodeIndex x, uint32_t n_leaves) {
  const auto p = parent(x, n_leaves);
  if (!p) return std::nullopt;
  return x < *p ? right(*p) : left(*p);
}

std::vector<NodeIndex> direct_path(NodeIndex x, uint32_t n_leaves) {
  std::vector<NodeIndex> path;
  const NodeIndex r = root(n_leaves);
  while (x != r) {
    const auto p = parent(x, n_leaves);
    if (!p) break;
    x = *p;
    path.push_back(x);
  }
  return path;
}

std::vector<NodeIndex> copath(NodeIndex x, uint32_t n_leaves) {
  std::vector<NodeIndex> out;
  const NodeIndex r = root(n_leaves);
  while (x != r) {
    const auto s = sibling(x, n_leaves);
    const auto p = parent(x, n_leaves);
    if (!s || !p) break;
    out.push_back(*s);
    x = *p;
  }
  return out;
}

NodeIndex common_ancestor(NodeIndex x, NodeIndex y) {
  // One is an ancestor of the other.
  const uint32_t lx = level(x) + 1;
  const uint32_t ly = level(y) + 1;
  if (lx <= ly && (x.value >> ly) == (y.value >> ly)) return y;
  if (ly <= lx && (x.value >> lx) == (y.value >> lx)) return x;
  uint32_t xn = x.value;
  uint32_t yn = y.value;
  uint32_t k = 0;
  while (xn != yn) {
    xn >>= 1;
    yn >>= 1;
    ++k;
  }
  return NodeIndex{(xn << k) + (1u << (k - 1)) - 1};
}

bool is_in_subtree(NodeIndex ancestor, NodeIndex x) {
  return common_ancestor(ancestor, x) == ancestor;
}

}  // namespace conclave::mls::tree_math
