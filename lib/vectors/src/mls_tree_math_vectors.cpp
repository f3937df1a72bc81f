// check_mls_tree_math: the mlswg tree-math.json vectors. For each tree size
// n_leaves: node count, root, and for every node index the left and right
// child, parent and sibling (null where the relation does not exist).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "conclave/mls/tree_math.h"
#include "conclave/vectors/runner.h"

namespace conclave::vectors {

namespace {

using nlohmann::json;
using mls::NodeIndex;
namespace tm = mls::tree_math;

std::string show(const std::optional<NodeIndex>& n) {
  return n ? std::to_string(n->value) : "null";
}

// Compares one array entry (a number or null) with what we computed.
void compare(CaseCheck& c, const json& arr, const char* name, uint32_t i,
             const std::optional<NodeIndex>& got) {
  const std::string field = std::string(name) + "[" + std::to_string(i) + "]";
  if (!arr.is_array() || i >= arr.size()) {
    c.fail(field, "missing");
    return;
  }
  const json& want = arr[i];
  std::optional<NodeIndex> expected;
  if (want.is_number_unsigned()) {
    expected = NodeIndex{want.get<uint32_t>()};
  } else if (!want.is_null()) {
    c.fail(field, "neither a number nor null");
    return;
  }
  if (expected != got) c.fail(field, "expected " + show(expected) + ", got " + show(got));
}

void check_case(const json& v, CaseCheck& c) {
  if (!v.is_object() || !v.contains("n_leaves") || !v["n_leaves"].is_number_unsigned()) {
    c.fail("n_leaves", "missing or not a number");
    return;
  }
  const auto n = v["n_leaves"].get<uint32_t>();
  if (n == 0 || n > (1u << 20)) {
    c.fail("n_leaves", "out of the range this check supports");
    return;
  }
  const uint32_t width = tm::node_width(n);
  if (!v.contains("n_nodes") || v["n_nodes"] != width) {
    c.fail("n_nodes", "expected " + v.value("n_nodes", json()).dump() + ", got " +
                          std::to_string(width));
  }
  if (!v.contains("root") || v["root"] != tm::root(n).value) {
    c.fail("root", "expected " + v.value("root", json()).dump() + ", got " +
                       std::to_string(tm::root(n).value));
  }
  for (uint32_t i = 0; i < width; ++i) {
    const NodeIndex x{i};
    const bool leaf = x.is_leaf();
    compare(c, v.value("left", json()), "left", i, leaf ? std::nullopt : std::optional(tm::left(x)));
    compare(c, v.value("right", json()), "right", i,
            leaf ? std::nullopt : std::optional(tm::right(x)));
    compare(c, v.value("parent", json()), "parent", i, tm::parent(x, n));
    compare(c, v.value("sibling", json()), "sibling", i, tm::sibling(x, n));
  }
}

}  // namespace

Report check_mls_tree_math(const json& doc) {
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
