#include "conclave/rtp/dependency_descriptor.h"

#include "conclave/rtp/bit_stream.h"

namespace conclave::rtp {
namespace {

constexpr size_t kMandatorySize = 3;

// next_layer_idc of template_layers(): how template `next` follows `cur`.
std::optional<uint32_t> next_layer_idc(const FrameDependencyTemplate& cur,
                                       const FrameDependencyTemplate& next) {
  if (next.spatial_id == cur.spatial_id && next.temporal_id == cur.temporal_id) return 0;
  if (next.spatial_id == cur.spatial_id && next.temporal_id == cur.temporal_id + 1) return 1;
  if (next.spatial_id == cur.spatial_id + 1 && next.temporal_id == 0) return 2;
  return std::nullopt;
}

size_t spatial_layers(const FrameDependencyStructure& s) {
  return s.templates.empty() ? 0 : size_t{s.templates.back().spatial_id} + 1;
}

Result<FrameDependencyStructure> read_structure(BitReader& r) {
  FrameDependencyStructure s;
  CV_TRY(const uint32_t offset, r.read(6));
  CV_TRY(const uint32_t dt_minus_one, r.read(5));
  s.template_id_offset = static_cast<uint8_t>(offset);
  s.decode_target_count = static_cast<uint8_t>(dt_minus_one + 1);
  const size_t dt_cnt = s.decode_target_count;

  // template_layers()
  uint8_t spatial = 0;
  uint8_t temporal = 0;
  uint32_t idc = 0;
  do {
    if (s.templates.size() == FrameDependencyStructure::kMaxTemplates) {
      return Error(Errc::invalid_value, "too many templates");
    }
    FrameDependencyTemplate t;
    t.spatial_id = spatial;
    t.temporal_id = temporal;
    s.templates.push_back(std::move(t));
    CV_TRY(idc, r.read(2));
    if (idc == 1) {
      ++temporal;
    } else if (idc == 2) {
      temporal = 0;
      ++spatial;
    }
  } while (idc != 3);

  // template_dtis()
  for (auto& t : s.templates) {
    for (size_t dt = 0; dt < dt_cnt; ++dt) {
      CV_TRY(const uint32_t dti, r.read(2));
      t.decode_target_indications.push_back(static_cast<DecodeTargetIndication>(dti));
    }
  }
  // template_fdiffs()
  for (auto& t : s.templates) {
    CV_TRY(bool follows, r.read_flag());
    while (follows) {
      CV_TRY(const uint32_t fdiff_minus_one, r.read(4));
      t.frame_diffs.push_back(static_cast<uint16_t>(fdiff_minus_one + 1));
      CV_TRY(follows, r.read_flag());
    }
  }
  // template_chains()
  CV_TRY(const uint32_t chain_cnt, r.read_ns(static_cast<uint32_t>(dt_cnt + 1)));
  s.chain_count = static_cast<uint8_t>(chain_cnt);
  if (chain_cnt > 0) {
    for (size_t dt = 0; dt < dt_cnt; ++dt) {
      CV_TRY(const uint32_t by, r.read_ns(chain_cnt));
      s.decode_target_protected_by.push_back(static_cast<uint8_t>(by));
    }
    for (auto& t : s.templates) {
      for (size_t c = 0; c < chain_cnt; ++c) {
        CV_TRY(const uint32_t d, r.read(4));
        t.chain_diffs.push_back(static_cast<uint16_t>(d));
      }
    }
  }
  // decode_target_layers() derives values only; render_resolutions()
  CV_TRY(const bool resolutions, r.read_flag());
  if (resolutions) {
    for (size_t sid = 0; sid < spatial_layers(s); ++sid) {
      CV_TRY(const uint32_t w, r.read(16));
      CV_TRY(const uint32_t h, r.read(16));
      s.resolutions.push_back({w + 1, h + 1});
    }
  }
  return s;
}

void write_structure(BitWriter& w, const FrameDependencyStructure& s) {
  w.write(s.template_id_offset, 6);
  w.write(s.decode_target_count - 1u, 5);
  for (size_t i = 0; i < s.templates.size(); ++i) {
    const uint32_t idc =
        i + 1 < s.templates.size() ? *next_layer_idc(s.templates[i], s.templates[i + 1]) : 3;
    w.write(idc, 2);
  }
  for (const auto& t : s.templates) {
    for (auto dti : t.decode_target_indications) w.write(static_cast<uint32_t>(dti), 2);
  }
  for (const auto& t : s.templates) {
    for (uint16_t d : t.frame_diffs) {
      w.write_flag(true);
      w.write(d - 1u, 4);
    }
    w.write_flag(false);
  }
  w.write_ns(s.decode_target_count + 1u, s.chain_count);
  if (s.chain_count > 0) {
    for (uint8_t by : s.decode_target_protected_by) w.write_ns(s.chain_count, by);
    for (const auto& t : s.templates) {
      for (uint16_t d : t.chain_diffs) w.write(d, 4);
    }
  }
  w.write_flag(!s.resolutions.empty());
  for (const auto& res : s.resolutions) {
    w.write(res.width - 1, 16);
    w.write(res.height - 1, 16);
  }
}

std::optional<size_t> template_index(uint8_t id, const FrameDependencyStructure& s) {
  const size_t index = (size_t{id} + 64 - s.template_id_offset) % 64;
  if (index >= s.templates.size()) return std::nullopt;
  return index;
}

}  // namespace

FrameDependencyStructure FrameDependencyStructure::single_layer(uint8_t template_id_offset) {
  FrameDependencyStructure s;
  s.template_id_offset = template_id_offset;
  s.decode_target_count = 1;
  s.chain_count = 1;
  s.decode_target_protected_by = {0};
  FrameDependencyTemplate key;
  key.decode_target_indications = {DecodeTargetIndication::switch_indication};
  key.chain_diffs = {0};
  FrameDependencyTemplate delta;
  delta.decode_target_indications = {DecodeTargetIndication::switch_indication};
  delta.frame_diffs = {1};
  delta.chain_diffs = {1};
  s.templates = {key, delta};
  return s;
}

Status FrameDependencyStructure::validate() const {
  if (template_id_offset > 63) return Error(Errc::invalid_argument, "template_id_offset");
  if (decode_target_count < 1 || decode_target_count > kMaxDecodeTargets) {
    return Error(Errc::invalid_argument, "decode_target_count");
  }
  if (chain_count > decode_target_count) return Error(Errc::invalid_argument, "chain_count");
  if (chain_count == 0 ? !decode_target_protected_by.empty()
                       : decode_target_protected_by.size() != decode_target_count) {
    return Error(Errc::invalid_argument, "decode_target_protected_by");
  }
  for (uint8_t by : decode_target_protected_by) {
    if (by >= chain_count) return Error(Errc::invalid_argument, "decode_target_protected_by");
  }
  if (templates.empty() || templates.size() > kMaxTemplates) {
    return Error(Errc::invalid_argument, "template count");
  }
  if (templates[0].spatial_id != 0 || templates[0].temporal_id != 0) {
    return Error(Errc::invalid_argument, "first template layer");
  }
  for (size_t i = 0; i < templates.size(); ++i) {
    const auto& t = templates[i];
    if (i + 1 < templates.size() && !next_layer_idc(t, templates[i + 1])) {
      return Error(Errc::invalid_argument, "template layer order");
    }
    if (t.decode_target_indications.size() != decode_target_count) {
      return Error(Errc::invalid_argument, "template dtis");
    }
    for (auto dti : t.decode_target_indications) {
      if (static_cast<uint8_t>(dti) > 3) return Error(Errc::invalid_argument, "template dti");
    }
    for (uint16_t d : t.frame_diffs) {
      if (d < 1 || d > 16) return Error(Errc::invalid_argument, "template fdiff");
    }
    if (t.chain_diffs.size() != chain_count) {
      return Error(Errc::invalid_argument, "template chain count");
    }
    for (uint16_t d : t.chain_diffs) {
      if (d > 15) return Error(Errc::invalid_argument, "template chain fdiff");
    }
  }
  if (!resolutions.empty()) {
    if (resolutions.size() != spatial_layers(*this)) {
      return Error(Errc::invalid_argument, "resolution count");
    }
    for (const auto& r : resolutions) {
      if (r.width < 1 || r.width > 65536 || r.height < 1 || r.height > 65536) {
        return Error(Errc::invalid_argument, "resolution");
      }
    }
  }
  return {};
}

Result<DependencyDescriptorMandatory> DependencyDescriptor::parse_mandatory(BytesView data) {
  if (data.size() < kMandatorySize) return Error(Errc::truncated, "dependency descriptor");
  DependencyDescriptorMandatory m;
  m.start_of_frame = (data[0] & 0x80) != 0;
  m.end_of_frame = (data[0] & 0x40) != 0;
  m.frame_dependency_template_id = data[0] & 0x3f;
  m.frame_number = static_cast<uint16_t>((data[1] << 8) | data[2]);
  m.has_structure = data.size() > kMandatorySize && (data[3] & 0x80) != 0;
  return m;
}

Result<DependencyDescriptor> DependencyDescriptor::parse(BytesView data,
                                                         const FrameDependencyStructure* latest) {
  CV_TRY(const auto m, parse_mandatory(data));
  DependencyDescriptor d;
  d.start_of_frame = m.start_of_frame;
  d.end_of_frame = m.end_of_frame;
  d.frame_dependency_template_id = m.frame_dependency_template_id;
  d.frame_number = m.frame_number;
  BitReader r(data);
  CV_TRY_STATUS(r.read(24));

  bool structure_present = false;
  bool active_present = false;
  bool dtis = false;
  bool fdiffs = false;
  bool chains = false;
  if (data.size() > kMandatorySize) {
    CV_TRY(structure_present, r.read_flag());
    CV_TRY(active_present, r.read_flag());
    CV_TRY(dtis, r.read_flag());
    CV_TRY(fdiffs, r.read_flag());
    CV_TRY(chains, r.read_flag());
    if (structure_present) {
      CV_TRY(auto s, read_structure(r));
      d.attached_structure = std::move(s);
    }
  }
  const FrameDependencyStructure* s = d.structure(latest);
  if (s == nullptr) return Error(Errc::missing_dependency_structure);
  if (active_present) {
    CV_TRY(const uint32_t mask, r.read(s->decode_target_count));
    d.active_decode_targets_bitmask = mask;
  }
  if (!template_index(d.frame_dependency_template_id, *s)) return Errc::unknown_template;
  if (dtis) {
    std::vector<DecodeTargetIndication> v;
    for (size_t i = 0; i < s->decode_target_count; ++i) {
      CV_TRY(const uint32_t dti, r.read(2));
      v.push_back(static_cast<DecodeTargetIndication>(dti));
    }
    d.custom_dtis = std::move(v);
  }
  if (fdiffs) {
    std::vector<uint16_t> v;
    CV_TRY(uint32_t size, r.read(2));
    while (size != 0) {
      CV_TRY(const uint32_t minus_one, r.read(4 * size));
      v.push_back(static_cast<uint16_t>(minus_one + 1));
      CV_TRY(size, r.read(2));
    }
    d.custom_frame_diffs = std::move(v);
  }
  if (chains) {
    std::vector<uint16_t> v;
    for (size_t i = 0; i < s->chain_count; ++i) {
      CV_TRY(const uint32_t c, r.read(8));
      v.push_back(static_cast<uint16_t>(c));
    }
    d.custom_chain_diffs = std::move(v);
  }
  // What is left is zero_padding, which receivers ignore.
  return d;
}

Result<Bytes> DependencyDescriptor::serialize(const FrameDependencyStructure* latest) const {
  if (frame_dependency_template_id > 63) {
    return Error(Errc::invalid_argument, "frame_dependency_template_id");
  }
  const FrameDependencyStructure* s = structure(latest);
  if (s == nullptr) return Error(Errc::missing_dependency_structure);
  if (attached_structure) CV_TRY_STATUS(attached_structure->validate());
  if (!template_index(frame_dependency_template_id, *s)) return Errc::unknown_template;
  const size_t dt_cnt = s->decode_target_count;
  if (active_decode_targets_bitmask && dt_cnt < 32 &&
      (*active_decode_targets_bitmask >> dt_cnt) != 0) {
    return Error(Errc::invalid_argument, "active_decode_targets_bitmask");
  }
  if (custom_dtis) {
    if (custom_dtis->size() != dt_cnt) return Error(Errc::invalid_argument, "custom dtis");
    for (auto dti : *custom_dtis) {
      if (static_cast<uint8_t>(dti) > 3) return Error(Errc::invalid_argument, "custom dti");
    }
  }
  if (custom_frame_diffs) {
    for (uint16_t f : *custom_frame_diffs) {
      if (f < 1 || f > 4096) return Error(Errc::invalid_argument, "custom fdiff");
    }
  }
  if (custom_chain_diffs) {
    if (custom_chain_diffs->size() != s->chain_count) {
      return Error(Errc::invalid_argument, "custom chains");
    }
    for (uint16_t c : *custom_chain_diffs) {
      if (c > 255) return Error(Errc::invalid_argument, "custom chain fdiff");
    }
  }

  BitWriter w;
  w.write_flag(start_of_frame);
  w.write_flag(end_of_frame);
  w.write(frame_dependency_template_id, 6);
  w.write(frame_number, 16);
  const bool extended = attached_structure || active_decode_targets_bitmask || custom_dtis ||
                        custom_frame_diffs || custom_chain_diffs;
  if (!extended) return w.bytes();
  w.write_flag(attached_structure.has_value());
  w.write_flag(active_decode_targets_bitmask.has_value());
  w.write_flag(custom_dtis.has_value());
  w.write_flag(custom_frame_diffs.has_value());
  w.write_flag(custom_chain_diffs.has_value());
  if (attached_structure) write_structure(w, *attached_structure);
  if (active_decode_targets_bitmask) {
    w.write(*active_decode_targets_bitmask, static_cast<unsigned>(dt_cnt));
  }
  if (custom_dtis) {
    for (auto dti : *custom_dtis) w.write(static_cast<uint32_t>(dti), 2);
  }
  if (custom_frame_diffs) {
    for (uint16_t f : *custom_frame_diffs) {
      const uint32_t minus_one = f - 1u;
      const uint32_t size = minus_one < 16 ? 1 : minus_one < 256 ? 2 : 3;
      w.write(size, 2);
      w.write(minus_one, 4 * size);
    }
    w.write(0, 2);
  }
  if (custom_chain_diffs) {
    for (uint16_t c : *custom_chain_diffs) w.write(c, 8);
  }
  return w.bytes();
}

Result<FrameDependencyTemplate> DependencyDescriptor::frame_info(
    const FrameDependencyStructure& s) const {
  auto index = template_index(frame_dependency_template_id, s);
  if (!index) return Errc::unknown_template;
  FrameDependencyTemplate t = s.templates[*index];
  if (custom_dtis) t.decode_target_indications = *custom_dtis;
  if (custom_frame_diffs) t.frame_diffs = *custom_frame_diffs;
  if (custom_chain_diffs) t.chain_diffs = *custom_chain_diffs;
  return t;
}

}  // namespace conclave::rtp
