// Extension lists keep unknown types; payloads of known types decode on
// demand; duplicate types are detectable.
#include "conclave/mls/extension.h"

#include <gtest/gtest.h>

#include <vector>

namespace conclave::mls {
namespace {

TEST(Extension, UnknownTypesRoundTrip) {
  const std::vector<Extension> list = {
      Extension{static_cast<ExtensionType>(0x0A0A), {1, 2, 3}},
      Extension{static_cast<ExtensionType>(0xF123), {}},
      Extension{ExtensionType::application_id, {2, 'i', 'd'}},
  };
  const Bytes wire = codec::encode(list);
  EXPECT_EQ(wire, (Bytes{15, 0x0A, 0x0A, 3, 1, 2, 3, 0xF1, 0x23, 0, 0, 1, 3, 2, 'i', 'd'}));
  auto back = codec::decode<std::vector<Extension>>(wire);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, list);
}

TEST(Extension, FindAndParsePayloads) {
  const ExternalSenders senders{{ExternalSender{{9, 9}, Credential::basic({'d', 's'})}}};
  const std::vector<Extension> list = {
      Extension{static_cast<ExtensionType>(0x1A1A), {0xFF}},
      make_extension(senders),
      make_extension(ApplicationId{{'a'}}),
  };
  EXPECT_EQ(list[2].extension_data, (Bytes{1, 'a'}));
  EXPECT_EQ(find_extension(list, ExtensionType::application_id), &list[2]);
  EXPECT_EQ(find_extension(list, ExtensionType::ratchet_tree), nullptr);

  auto found = find_extension<ExternalSenders>(list);
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, senders);

  auto absent = find_extension<RequiredCapabilities>(list);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
}

TEST(Extension, MalformedPayloadIsAnError) {
  const std::vector<Extension> list = {Extension{ExtensionType::external_pub, {5, 1, 2}}};
  auto r = find_extension<ExternalPub>(list);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().is(codec::Errc::length_too_large)) << r.error().to_string();
  // Trailing bytes after the payload are rejected too.
  auto trailing = parse_extension<ExternalPub>(Extension{ExtensionType::external_pub, {1, 7, 0}});
  ASSERT_FALSE(trailing.ok());
  EXPECT_TRUE(trailing.error().is(codec::Errc::trailing_data));
}

TEST(Extension, RequiredCapabilitiesLayout) {
  const RequiredCapabilities rc{{ExtensionType::external_senders},
                                {ProposalType::add, static_cast<ProposalType>(0xF000)},
                                {CredentialType::basic}};
  const Extension ext = make_extension(rc);
  EXPECT_EQ(ext.extension_type, ExtensionType::required_capabilities);
  EXPECT_EQ(ext.extension_data, (Bytes{2, 0, 5, 4, 0, 1, 0xF0, 0, 2, 0, 1}));
  auto back = parse_extension<RequiredCapabilities>(ext);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, rc);
}

TEST(Extension, DuplicateTypes) {
  std::vector<Extension> list = {Extension{ExtensionType::application_id, {}},
                                 Extension{static_cast<ExtensionType>(0x0A0A), {}}};
  EXPECT_FALSE(has_duplicate_extension_types(list));
  EXPECT_FALSE(has_duplicate_extension_types({}));
  list.push_back(Extension{ExtensionType::application_id, {1}});
  EXPECT_TRUE(has_duplicate_extension_types(list));
}

}  // namespace
}  // namespace conclave::mls
