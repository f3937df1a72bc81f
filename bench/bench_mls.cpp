// bench-mls: the cost of MLS group operations (lib/mls Group) as groups
// grow, suite 1 (X25519, AES-128-GCM, SHA-256, Ed25519), against the cost
// of the primitives a commit cannot avoid, measured in the same run.
//
// For each size n (default 10, 100, 1,000 and 10,000 members) and each
// tree shape:
//   full    every member has committed once: every parent node holds a key.
//           Built by running the real UpdatePath generation
//           (generate_update_path) from each leaf in turn on the public
//           tree, then adding the two measured members X and Y by Add
//           (they sit in the tree as unmerged leaves) and handing them a
//           Welcome signed by leaf 0, which Group::join checks in full.
//   sparse  one member added everyone in one commit (no path): the parents
//           are blank. X is the creator, Y a member joined from its Welcome.
// it measures (median of repeated runs, ms):
//   add:create    X commits Add(Z) with a path          Group::commit
//   add:process   Y handles and applies that commit      Group::handle+apply
//   join          Z joins from its Welcome (tree in the GroupInfo), on one
//                 thread; then with the machine's cores lent to the leaf
//                 signature checks (GroupOptions::parallel)
//   rm:create     X commits Remove(a member)
//   rm:process    Y handles and applies it
//   protect       X protects 1 KB of application data
//   unprotect     Y unprotects it
//   memory        bytes allocated and held by Z's group after joining
//                 (glibc mallinfo2), per group
// and, for reference, the floor: Ed25519 sign and verify, HPKE (X25519)
// seal and open of 32 bytes. A commit cannot cost less than one sign plus
// about log2(n) seals; processing one than two verifies and one open.
//
// Usage: bench-mls [--sizes 10,100,1000,10000] [--shapes full,sparse]
//                  [--reps N]
// A benchmark, not a test: it prints numbers and never fails on a time.
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "conclave/crypto/random.h"
#include "conclave/mls/group.h"
#include "conclave/mls/transcript_hash.h"
#include "conclave/mls/treekem.h"
#include "conclave/mls/welcome_processing.h"

namespace {

namespace mls = conclave::mls;
using conclave::Bytes;
using conclave::SecretBytes;
using Clock = std::chrono::steady_clock;

template <class T>
T must(conclave::Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "bench-mls: %s: %s\n", what, r.error().to_string().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

void must(conclave::Status s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "bench-mls: %s: %s\n", what, s.error().to_string().c_str());
    std::exit(1);
  }
}

mls::CipherSuite suite() {
  return must(mls::CipherSuite::create(
                  mls::CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519),
              "suite");
}

mls::KeyPackageBundle bundle(const std::string& name) {
  const auto s = suite();
  return must(mls::make_key_package(s, mls::Credential::basic(conclave::to_bytes(name)),
                                    must(s.generate_signature_key(), "signature key")),
              "key package");
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Median of `reps` runs of op() (ms).
double median_ms(int reps, const std::function<void()>& op) {
  std::vector<double> times;
  for (int i = 0; i < reps; ++i) {
    const auto start = Clock::now();
    op();
    times.push_back(ms_since(start));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

size_t heap_in_use() { return mallinfo2().uordblks; }

// The application's side of conclave::ParallelFor: the calling thread and
// one more worker per further core take indices in turn.
conclave::ParallelFor machine_workers() {
  return [](size_t n, const std::function<void(size_t)>& body) {
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) body(i);
    };
    std::vector<std::thread> helpers;
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned k = 1; k < cores; ++k) helpers.emplace_back(work);
    work();
    for (auto& t : helpers) t.join();
  };
}

mls::Group follow(mls::Group& g, const mls::MLSMessage& commit) {
  auto received = must(g.handle(commit), "handle commit");
  auto* staged = std::get_if<mls::StagedCommit>(&received);
  if (staged == nullptr) {
    std::fprintf(stderr, "bench-mls: not a commit\n");
    std::exit(1);
  }
  auto next = mls::Group::apply(std::move(*staged));
  if (!next.has_value()) {
    std::fprintf(stderr, "bench-mls: removed\n");
    std::exit(1);
  }
  return std::move(*next);
}

struct Pair {
  std::optional<mls::Group> x;  // the committer
  std::optional<mls::Group> y;  // the receiver
  uint32_t remove_target = 0;   // a member X may remove
};

// One member added everyone in one commit.
Pair sparse_group(uint32_t n) {
  const auto s = suite();
  auto creator = bundle("member-0");
  mls::Group x = must(mls::Group::create(s, conclave::to_bytes("bench-sparse"), creator), "create");
  mls::CommitOptions add;
  std::optional<mls::KeyPackageBundle> y_bundle;
  for (uint32_t i = 1; i < n; ++i) {
    auto b = bundle("member-" + std::to_string(i));
    add.proposals.push_back(mls::Proposal{mls::Add{b.key_package}});
    if (i == 1) y_bundle = std::move(b);
  }
  auto result = must(x.commit(add), "add everyone");
  mls::Group y = must(mls::Group::join(*result.welcome->welcome(), *y_bundle), "join Y");
  return Pair{std::move(result.next), std::move(y), n - 1};
}

// Every member committed once (see the file comment).
Pair full_group(uint32_t n) {
  const auto s = suite();
  const Bytes group_id = conclave::to_bytes("bench-full");
  const uint32_t base = n - 2;
  std::vector<conclave::crypto::SignaturePrivateKey> signers;
  std::vector<std::optional<mls::Node>> nodes;
  for (uint32_t i = 0; i < base; ++i) {
    auto b = bundle("member-" + std::to_string(i));
    if (i > 0) nodes.emplace_back(std::nullopt);
    nodes.emplace_back(mls::Node{b.key_package.leaf_node});
    signers.push_back(b.signer);
  }
  mls::RatchetTree tree = must(mls::RatchetTree::create(s, std::move(nodes)), "tree");
  mls::GroupContext context;
  context.cipher_suite = s.id();
  context.group_id = group_id;
  context.epoch = base;
  std::vector<mls::LeafIndex> everyone;
  for (uint32_t i = 0; i < base; ++i) everyone.push_back(mls::LeafIndex{i});
  for (uint32_t i = 0; i < base; ++i) {
    // The leaves get no ciphertexts (nobody will decrypt these paths);
    // parent nodes do, as in a real commit.
    must(mls::generate_update_path(tree, mls::LeafIndex{i}, signers[i], context, everyone),
         "update path");
  }

  auto x_bundle = bundle("X");
  auto y_bundle = bundle("Y");
  must(tree.add_leaf(x_bundle.key_package.leaf_node), "add X");
  must(tree.add_leaf(y_bundle.key_package.leaf_node), "add Y");
  context.epoch = base + 1;
  context.tree_hash = tree.root_tree_hash();
  context.confirmed_transcript_hash = conclave::crypto::random_bytes(s.hash_size());

  // The Welcome a member would send for X and Y.
  const SecretBytes joiner = SecretBytes::adopt(conclave::crypto::random_bytes(s.hash_size()));
  const SecretBytes psk(Bytes(s.hash_size(), 0));
  auto keys = must(mls::KeySchedule::from_joiner_secret(s, joiner.view(), psk.view(), context),
                   "key schedule");
  mls::GroupInfo gi;
  gi.group_context = context;
  gi.confirmation_tag = mls::make_confirmation_tag(s, keys.confirmation_key().view(),
                                                   context.confirmed_transcript_hash);
  gi.signer = mls::LeafIndex{0};
  must(mls::sign_group_info(s, gi, signers[0]), "sign GroupInfo");
  const Bytes encrypted = must(mls::encrypt_group_info(s, joiner.view(), psk.view(), gi), "gi");
  mls::Welcome welcome;
  welcome.cipher_suite = s.id();
  welcome.encrypted_group_info = encrypted;
  for (const auto* b : {&x_bundle, &y_bundle}) {
    welcome.secrets.push_back(must(
        mls::encrypt_group_secrets(s, b->key_package, encrypted, mls::GroupSecrets{joiner, {}, {}}),
        "group secrets"));
  }
  mls::Group x = must(mls::Group::join(welcome, x_bundle, tree), "join X");
  mls::Group y = must(mls::Group::join(welcome, y_bundle, tree), "join Y");
  return Pair{std::move(x), std::move(y), base / 2};
}

struct Row {
  std::string shape;
  uint32_t n = 0;
  double setup_s = 0;
  double add_create = 0, add_process = 0, join = 0, rm_create = 0, rm_process = 0;
  double protect_us = 0, unprotect_us = 0;
  size_t memory = 0;
  double decode = 0, tree_hash = 0, parent_hashes = 0, signatures = 0;
  double join_parallel = 0;
};

Row measure(const std::string& shape, uint32_t n, int reps) {
  Row row;
  row.shape = shape;
  row.n = n;
  const auto setup_start = Clock::now();
  Pair pair = shape == "full" ? full_group(n) : sparse_group(n);
  row.setup_s = ms_since(setup_start) / 1000;
  mls::Group& x = *pair.x;
  mls::Group& y = *pair.y;

  auto z_bundle = bundle("Z");
  mls::CommitOptions add;
  add.proposals = {mls::Proposal{mls::Add{z_bundle.key_package}}};
  add.force_path = true;
  std::optional<mls::CommitResult> added;
  row.add_create = median_ms(reps, [&] { added = must(x.commit(add), "commit add"); });
  row.add_process = median_ms(reps, [&] { (void)follow(y, added->commit); });
  const mls::Welcome& welcome = *added->welcome->welcome();
  row.join = median_ms(std::max(1, reps / 2), [&] {
    (void)must(mls::Group::join(welcome, z_bundle), "join Z");
  });
  auto with_workers = std::make_shared<mls::GroupOptions>();
  with_workers->parallel = machine_workers();
  row.join_parallel = median_ms(std::max(1, reps / 2), [&] {
    (void)must(mls::Group::join(welcome, z_bundle, std::nullopt, with_workers), "join Z");
  });
  {
    const size_t before = heap_in_use();
    std::optional<mls::Group> z = must(mls::Group::join(welcome, z_bundle), "join Z");
    row.memory = heap_in_use() - before;
  }

  {
    // Where the join time goes: the checks on the tree.
    const mls::RatchetTree& tree = x.tree();
    const Bytes encoded = tree.encode();
    row.decode = median_ms(3, [&] { (void)must(mls::RatchetTree::decode(suite(), encoded), "decode"); });
    auto decoded = must(mls::RatchetTree::decode(suite(), encoded), "decode");
    row.tree_hash = median_ms(1, [&] { (void)decoded.root_tree_hash(); });
    row.parent_hashes = median_ms(3, [&] { must(tree.verify_parent_hashes(), "parent hashes"); });
    row.signatures = median_ms(3, [&] { must(tree.verify_leaf_signatures(x.group_id()), "sigs"); });
  }

  mls::CommitOptions remove;
  remove.proposals = {mls::Proposal{mls::Remove{mls::LeafIndex{pair.remove_target}}}};
  std::optional<mls::CommitResult> removed;
  row.rm_create = median_ms(reps, [&] { removed = must(x.commit(remove), "commit remove"); });
  row.rm_process = median_ms(reps, [&] { (void)follow(y, removed->commit); });

  const Bytes data(1024, 0x5a);
  constexpr int kMessages = 200;
  std::vector<mls::MLSMessage> messages;
  const auto p_start = Clock::now();
  for (int i = 0; i < kMessages; ++i) messages.push_back(must(x.protect(data), "protect"));
  row.protect_us = ms_since(p_start) * 1000 / kMessages;
  const auto u_start = Clock::now();
  for (const auto& m : messages) (void)must(y.handle(m), "unprotect");
  row.unprotect_us = ms_since(u_start) * 1000 / kMessages;
  return row;
}

void print_floor() {
  const auto s = suite();
  auto signer = must(s.generate_signature_key(), "key");
  const Bytes msg(200, 1);
  const Bytes sig = must(s.sign_with_label(signer, "bench", msg), "sign");
  auto hpke = must(s.generate_hpke_key_pair(), "hpke");
  const Bytes secret(32, 2);
  const int n = 400;
  double sign_us = median_ms(5, [&] {
                     for (int i = 0; i < n; ++i) (void)s.sign_with_label(signer, "bench", msg);
                   }) * 1000 / n;
  double verify_us = median_ms(5, [&] {
                       for (int i = 0; i < n; ++i) {
                         (void)s.verify_with_label(signer.public_key(), "bench", msg, sig);
                       }
                     }) * 1000 / n;
  auto sealed = must(s.encrypt_with_label(hpke.public_key(), "bench", {}, secret), "seal");
  double seal_us = median_ms(5, [&] {
                     for (int i = 0; i < n; ++i) {
                       (void)s.encrypt_with_label(hpke.public_key(), "bench", {}, secret);
                     }
                   }) * 1000 / n;
  double open_us = median_ms(5, [&] {
                     for (int i = 0; i < n; ++i) {
                       (void)s.decrypt_with_label(hpke, "bench", {}, sealed.enc, sealed.ct);
                     }
                   }) * 1000 / n;
  std::printf("floor (suite 1, same run): Ed25519 sign %.1f us, verify %.1f us; "
              "HPKE seal %.1f us, open %.1f us\n",
              sign_us, verify_us, seal_us, open_us);
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> sizes = {"10", "100", "1000", "10000"};
  std::vector<std::string> shapes = {"full", "sparse"};
  int reps_arg = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--sizes" && i + 1 < argc) {
      sizes = split(argv[++i]);
    } else if (arg == "--shapes" && i + 1 < argc) {
      shapes = split(argv[++i]);
    } else if (arg == "--reps" && i + 1 < argc) {
      reps_arg = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: bench-mls [--sizes 10,100,1000,10000] [--shapes full,sparse] "
                   "[--reps N]\n");
      return 2;
    }
  }
  print_floor();
  std::printf("%-7s %6s | %9s %9s %9s | %9s %9s | %8s %8s | %9s | %7s\n", "tree", "n",
              "add:create", "add:proc", "join", "rm:create", "rm:proc", "prot us", "unprot",
              "memory", "setup s");
  for (const auto& shape : shapes) {
    for (const auto& size : sizes) {
      const auto n = static_cast<uint32_t>(std::strtoul(size.c_str(), nullptr, 10));
      if (n < 4) continue;
      const int reps = reps_arg > 0 ? reps_arg : (n >= 10000 ? 5 : 15);
      const Row r = measure(shape, n, reps);
      std::printf("%-7s %6u | %7.2f ms %6.2f ms %6.1f ms | %6.2f ms %6.2f ms | %8.1f %8.1f | %6.2f MB | %7.1f\n",
                  r.shape.c_str(), r.n, r.add_create, r.add_process, r.join, r.rm_create,
                  r.rm_process, r.protect_us, r.unprotect_us,
                  static_cast<double>(r.memory) / 1e6, r.setup_s);
      std::printf("        join with %u workers %.1f ms; join checks: tree decode %.1f ms, "
                  "tree hash %.1f ms, parent hashes %.1f ms, leaf signatures %.1f ms\n",
                  std::max(1u, std::thread::hardware_concurrency()), r.join_parallel, r.decode,
                  r.tree_hash, r.parent_hashes, r.signatures);
      std::fflush(stdout);
    }
  }
  return 0;
}
