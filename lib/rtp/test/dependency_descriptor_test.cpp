#include "conclave/rtp/dependency_descriptor.h"

#include <gtest/gtest.h>

#include "conclave/base/encoding.h"
#include "conclave/rtp/bit_stream.h"

namespace conclave::rtp {
namespace {

using Dti = DecodeTargetIndication;

Bytes hex(const char* s) { return from_hex(s).value(); }

// Derived by hand from the syntax of A.8.2: S=1 E=0 template 0 frame 1,
// flags 10000, then single_layer(): offset 0, DtCnt 1, layers "00 11",
// dtis "10 10", fdiffs "0" and "1 0000 0", chain_cnt ns(2)=1 "1",
// chain fdiffs "0000" "0001", no resolutions "0", zero padding.
const char* kKeyFrame = "80000180003a410100";
// S=1 E=1 template 1 frame 2: the mandatory fields only.
const char* kDelta = "c10002";
// The same with an explicit active mask (1) and custom fdiffs 1, 20, 300:
// flags 01010, mask "1", "01 0000", "10 00010011", "11 000100101011", "00".
const char* kCustom = "c1000255084f12b0";

DependencyDescriptor key_frame() {
  DependencyDescriptor d;
  d.start_of_frame = true;
  d.end_of_frame = false;
  d.frame_dependency_template_id = 0;
  d.frame_number = 1;
  d.attached_structure = FrameDependencyStructure::single_layer();
  return d;
}

TEST(DependencyDescriptor, KnownKeyFrame) {
  EXPECT_EQ(to_hex(key_frame().serialize(nullptr).value()), kKeyFrame);
  auto d = DependencyDescriptor::parse(hex(kKeyFrame), nullptr);
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_EQ(*d, key_frame());
  EXPECT_TRUE(d->is_key_frame());
  auto info = d->frame_info(*d->attached_structure);
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->frame_diffs.empty());
  EXPECT_EQ(info->decode_target_indications, std::vector<Dti>{Dti::switch_indication});

  auto m = DependencyDescriptor::parse_mandatory(hex(kKeyFrame));
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->start_of_frame);
  EXPECT_FALSE(m->end_of_frame);
  EXPECT_EQ(m->frame_number, 1);
  EXPECT_TRUE(m->has_structure);
}

TEST(DependencyDescriptor, KnownDeltaFrameUsesTheLatestStructure) {
  const auto s = FrameDependencyStructure::single_layer();
  DependencyDescriptor d;
  d.frame_dependency_template_id = 1;
  d.frame_number = 2;
  EXPECT_EQ(to_hex(d.serialize(&s).value()), kDelta);
  auto p = DependencyDescriptor::parse(hex(kDelta), &s);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p, d);
  EXPECT_FALSE(p->is_key_frame());
  EXPECT_EQ(p->frame_info(s)->frame_diffs, std::vector<uint16_t>{1});
  EXPECT_EQ(p->frame_info(s)->chain_diffs, std::vector<uint16_t>{1});

  auto m = DependencyDescriptor::parse_mandatory(hex(kDelta));
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->start_of_frame && m->end_of_frame);
  EXPECT_EQ(m->frame_dependency_template_id, 1);
  EXPECT_FALSE(m->has_structure);
}

TEST(DependencyDescriptor, KnownCustomFields) {
  const auto s = FrameDependencyStructure::single_layer();
  DependencyDescriptor d;
  d.frame_dependency_template_id = 1;
  d.frame_number = 2;
  d.active_decode_targets_bitmask = 1;
  d.custom_frame_diffs = std::vector<uint16_t>{1, 20, 300};
  EXPECT_EQ(to_hex(d.serialize(&s).value()), kCustom);
  auto p = DependencyDescriptor::parse(hex(kCustom), &s);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(*p, d);
  EXPECT_EQ(p->frame_info(s)->frame_diffs, (std::vector<uint16_t>{1, 20, 300}));
}

TEST(DependencyDescriptor, NeedsAStructure) {
  auto p = DependencyDescriptor::parse(hex(kDelta), nullptr);
  ASSERT_FALSE(p.ok());
  EXPECT_TRUE(p.error().is(Errc::missing_dependency_structure));
  DependencyDescriptor d;
  EXPECT_TRUE(d.serialize(nullptr).error().is(Errc::missing_dependency_structure));
}

TEST(DependencyDescriptor, RejectsTemplateOutsideTheStructure) {
  const auto s = FrameDependencyStructure::single_layer();
  auto p = DependencyDescriptor::parse(hex("c20002"), &s);  // template id 2
  ASSERT_FALSE(p.ok());
  EXPECT_TRUE(p.error().is(Errc::unknown_template));
  // With an offset the valid ids wrap around 63 -> 0.
  const auto wrapped = FrameDependencyStructure::single_layer(63);
  EXPECT_TRUE(DependencyDescriptor::parse(hex("ff0002"), &wrapped).ok());  // id 63 -> index 0
  EXPECT_TRUE(DependencyDescriptor::parse(hex("c00002"), &wrapped).ok());  // id 0 -> index 1
  EXPECT_FALSE(DependencyDescriptor::parse(hex("c10002"), &wrapped).ok());
  DependencyDescriptor d;
  d.frame_dependency_template_id = 5;
  EXPECT_TRUE(d.serialize(&s).error().is(Errc::unknown_template));
}

TEST(DependencyDescriptor, TruncationAtEveryByteFails) {
  const Bytes full = hex(kKeyFrame);
  for (size_t n = 0; n < full.size(); ++n) {
    EXPECT_FALSE(DependencyDescriptor::parse(BytesView(full).first(n), nullptr).ok()) << n;
  }
  EXPECT_TRUE(DependencyDescriptor::parse_mandatory(hex("c100")).error().is(Errc::truncated));
  const Bytes custom = hex(kCustom);
  const auto s = FrameDependencyStructure::single_layer();
  for (size_t n = 4; n < custom.size(); ++n) {
    EXPECT_FALSE(DependencyDescriptor::parse(BytesView(custom).first(n), &s).ok()) << n;
  }
}

// Three temporal layers (L1T3) with resolutions and custom chains.
FrameDependencyStructure l1t3() {
  FrameDependencyStructure s;
  s.template_id_offset = 10;
  s.decode_target_count = 3;
  s.chain_count = 1;
  s.decode_target_protected_by = {0, 0, 0};
  s.resolutions = {{1280, 720}};
  auto t = [](uint8_t tid, std::vector<Dti> dtis, std::vector<uint16_t> fd, uint16_t chain) {
    FrameDependencyTemplate x;
    x.temporal_id = tid;
    x.decode_target_indications = std::move(dtis);
    x.frame_diffs = std::move(fd);
    x.chain_diffs = {chain};
    return x;
  };
  s.templates = {
      t(0, {Dti::switch_indication, Dti::switch_indication, Dti::switch_indication}, {}, 0),
      t(0, {Dti::switch_indication, Dti::switch_indication, Dti::switch_indication}, {4}, 4),
      t(1, {Dti::not_present, Dti::discardable, Dti::switch_indication}, {2}, 2),
      t(2, {Dti::not_present, Dti::not_present, Dti::discardable}, {1}, 1),
      t(2, {Dti::not_present, Dti::not_present, Dti::discardable}, {1, 3, 16}, 3),
  };
  return s;
}

// Two spatial layers, two chains.
FrameDependencyStructure l2t1() {
  FrameDependencyStructure s;
  s.template_id_offset = 0;
  s.decode_target_count = 2;
  s.chain_count = 2;
  s.decode_target_protected_by = {0, 1};
  s.resolutions = {{320, 180}, {640, 360}};
  FrameDependencyTemplate a;
  a.decode_target_indications = {Dti::switch_indication, Dti::switch_indication};
  a.chain_diffs = {0, 0};
  FrameDependencyTemplate b;
  b.spatial_id = 1;
  b.decode_target_indications = {Dti::not_present, Dti::switch_indication};
  b.frame_diffs = {1};
  b.chain_diffs = {1, 1};
  s.templates = {a, b};
  return s;
}

TEST(DependencyDescriptor, RoundTripsRicherStructures) {
  for (const auto& s : {l1t3(), l2t1()}) {
    ASSERT_TRUE(s.validate().ok());
    DependencyDescriptor d;
    d.frame_dependency_template_id = s.template_id_offset;
    d.frame_number = 65535;
    d.attached_structure = s;
    d.active_decode_targets_bitmask = s.decode_target_count == 3 ? 0x5u : 0x2u;
    d.custom_dtis = std::vector<Dti>(s.decode_target_count, Dti::required);
    d.custom_chain_diffs = std::vector<uint16_t>(s.chain_count, 255);
    auto bytes = d.serialize(nullptr);
    ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
    auto p = DependencyDescriptor::parse(*bytes, nullptr);
    ASSERT_TRUE(p.ok()) << p.error().to_string();
    EXPECT_EQ(*p, d);
    // A later descriptor against that structure.
    DependencyDescriptor later;
    later.frame_dependency_template_id = static_cast<uint8_t>(s.template_id_offset + 1);
    auto lb = later.serialize(&s);
    ASSERT_TRUE(lb.ok());
    EXPECT_EQ(lb->size(), 3u);
    EXPECT_EQ(DependencyDescriptor::parse(*lb, &s).value(), later);
    EXPECT_EQ(later.frame_info(s)->spatial_id, s.templates[1].spatial_id);
  }
}

TEST(DependencyDescriptor, ValidateRejectsUnencodableStructures) {
  auto bad = [](auto mutate) {
    auto s = l1t3();
    mutate(s);
    return !s.validate().ok();
  };
  EXPECT_TRUE(bad([](auto& s) { s.templates[0].temporal_id = 1; }));
  EXPECT_TRUE(bad([](auto& s) { s.templates[3].temporal_id = 0; }));  // 1 -> 0 without a new spatial
  EXPECT_TRUE(bad([](auto& s) { s.templates[1].decode_target_indications.pop_back(); }));
  EXPECT_TRUE(bad([](auto& s) { s.templates[1].frame_diffs = {17}; }));
  EXPECT_TRUE(bad([](auto& s) { s.templates[1].frame_diffs = {0}; }));
  EXPECT_TRUE(bad([](auto& s) { s.templates[1].chain_diffs = {16}; }));
  EXPECT_TRUE(bad([](auto& s) { s.chain_count = 4; }));
  EXPECT_TRUE(bad([](auto& s) { s.decode_target_protected_by = {0, 0, 1}; }));
  EXPECT_TRUE(bad([](auto& s) { s.decode_target_count = 0; }));
  EXPECT_TRUE(bad([](auto& s) { s.template_id_offset = 64; }));
  EXPECT_TRUE(bad([](auto& s) { s.resolutions = {{1, 1}, {2, 2}}; }));
  EXPECT_TRUE(bad([](auto& s) { s.resolutions = {{0, 1}}; }));
  EXPECT_TRUE(bad([](auto& s) { s.templates.clear(); }));
  DependencyDescriptor d = key_frame();
  d.attached_structure->templates[1].frame_diffs = {0};
  EXPECT_TRUE(d.serialize(nullptr).error().is(Errc::invalid_argument));
  DependencyDescriptor e = key_frame();
  e.active_decode_targets_bitmask = 2;  // DtCnt is 1
  EXPECT_TRUE(e.serialize(nullptr).error().is(Errc::invalid_argument));
  DependencyDescriptor f = key_frame();
  f.custom_frame_diffs = std::vector<uint16_t>{4097};
  EXPECT_TRUE(f.serialize(nullptr).error().is(Errc::invalid_argument));
}

TEST(DependencyDescriptor, RejectsMoreThan64Templates) {
  BitWriter w;
  w.write(0xc00001, 24);
  w.write(0x10, 5);  // structure present
  w.write(0, 6);
  w.write(0, 5);
  for (int i = 0; i < 65; ++i) w.write(0, 2);  // 65 templates, never "3"
  w.write(3, 2);
  for (int i = 0; i < 200; ++i) w.write(0, 8);
  auto p = DependencyDescriptor::parse(w.bytes(), nullptr);
  ASSERT_FALSE(p.ok());
  EXPECT_TRUE(p.error().is(Errc::invalid_value));
}

}  // namespace
}  // namespace conclave::rtp
