// Helpers shared by the Group and PublicGroup tests (suite 1 members,
// following a commit, rule assertions).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "conclave/mls/group.h"

namespace conclave::mls::group_test {

inline CipherSuite suite1() {
  return CipherSuite::create(CipherSuiteId::mls_128_dhkemx25519_aes128gcm_sha256_ed25519).value();
}

inline KeyPackageBundle bundle_for(const std::string& name, const CipherSuite& suite = suite1()) {
  return make_key_package(suite, Credential::basic(to_bytes(name)),
                          suite.generate_signature_key().value())
      .value();
}

// Handles a commit and applies it; fails the test on any error.
inline Group follow(Group& g, const MLSMessage& commit) {
  auto received = g.handle(commit);
  if (!received.ok()) {
    ADD_FAILURE() << received.error().to_string();
    std::abort();
  }
  // std::get throws (and fails the test) for anything but a commit.
  auto next = Group::apply(std::get<StagedCommit>(std::move(received).value()));
  if (!next.has_value()) {
    ADD_FAILURE() << "removed by the commit";
    std::abort();
  }
  return std::move(*next);
}

// An empty commit with a path: the committer's own update.
inline CommitOptions self_update() {
  CommitOptions options;
  options.force_path = true;
  return options;
}

template <class T>
void expect_rule(const Result<T>& r, std::string_view rule) {
  ASSERT_FALSE(r.ok()) << "expected " << rule;
  EXPECT_EQ(r.error().detail(), rule);
}

}  // namespace conclave::mls::group_test
