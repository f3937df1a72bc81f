// The dependency descriptor RTP header extension (AV1 RTP specification,
// appendix A.8; specs/av1-rtp-spec-dependency-descriptor.md).
//
// Why Conclave needs it: media payloads are SFrame ciphertext, so neither
// the SFU nor the receiver's packetizer can look at the codec bitstream to
// find frame boundaries, key frames or layers. The sender copies them from
// its encoder into this extension, in the clear (DESIGN.md flow A step 3,
// notes/browser.md: Chromium needs it negotiated to accept whole-frame
// encryption).
//
//   mandatory (3 bytes)   |S|E| template id (6) |   frame_number (16)   |
//   extended (optional)   |structure?|active mask?|custom dtis?|fdiffs?|chains?|
//                         [template_dependency_structure] [active mask]
//                         [custom dtis] [custom fdiffs] [custom chains] 0-pad
//
// Most fields are interpreted against the "template dependency structure",
// which is attached to the first packet of a coded video sequence and then
// stays in force until the next one. So parse() takes the latest structure
// the caller has seen (nullptr if none); the caller keeps the attached one
// of each key frame. Key frames: a frame whose packets carry a structure
// starts a new coded video sequence, which is what Chromium does for every
// key frame (is_key_frame()). A forwarder that tracks no structure at all
// uses parse_mandatory(), which needs none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/result.h"
#include "conclave/rtp/errc.h"

namespace conclave::rtp {

// Table A.1: how a frame matters to a decode target.
enum class DecodeTargetIndication : uint8_t {
  not_present = 0,
  discardable = 1,
  switch_indication = 2,
  required = 3,
};

// One frame dependency template: the layer of the frames using it and what
// they depend on.
struct FrameDependencyTemplate {
  uint8_t spatial_id = 0;
  uint8_t temporal_id = 0;
  std::vector<DecodeTargetIndication> decode_target_indications;  // one per decode target
  std::vector<uint16_t> frame_diffs;  // in the structure: 1-16 each
  std::vector<uint16_t> chain_diffs;  // in the structure: 0-15 each, one per chain

  friend bool operator==(const FrameDependencyTemplate&, const FrameDependencyTemplate&) = default;
};

struct RenderResolution {
  uint32_t width = 0;  // 1-65536
  uint32_t height = 0;
  friend bool operator==(const RenderResolution&, const RenderResolution&) = default;
};

// template_dependency_structure() of A.8.2.
struct FrameDependencyStructure {
  static constexpr size_t kMaxTemplates = 64;
  static constexpr size_t kMaxDecodeTargets = 32;

  uint8_t template_id_offset = 0;   // 0-63
  uint8_t decode_target_count = 1;  // DtCnt, 1-32
  uint8_t chain_count = 0;          // 0-DtCnt
  std::vector<uint8_t> decode_target_protected_by;  // DtCnt entries when chain_count > 0
  std::vector<RenderResolution> resolutions;        // empty, or one per spatial layer
  // Sorted by layer as template_layers() encodes them: the first is (0, 0)
  // and each next one keeps the layer, adds a temporal layer, or starts
  // the next spatial layer at temporal 0.
  std::vector<FrameDependencyTemplate> templates;  // 1-64

  // One spatial and one temporal layer (L1T1) as Chromium sends it: one
  // decode target protected by one chain; template 0 is the key frame (no
  // references), template 1 a delta frame referencing the previous frame.
  static FrameDependencyStructure single_layer(uint8_t template_id_offset = 0);

  // invalid_argument naming the first field that cannot be encoded.
  Status validate() const;

  friend bool operator==(const FrameDependencyStructure&,
                         const FrameDependencyStructure&) = default;
};

// The three mandatory bytes, readable without any structure.
struct DependencyDescriptorMandatory {
  bool start_of_frame = false;
  bool end_of_frame = false;
  uint8_t frame_dependency_template_id = 0;
  uint16_t frame_number = 0;
  bool has_structure = false;  // template_dependency_structure_present_flag
};

struct DependencyDescriptor {
  static constexpr std::string_view kUri =
      "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension";

  bool start_of_frame = true;
  bool end_of_frame = true;
  uint8_t frame_dependency_template_id = 0;  // 0-63
  uint16_t frame_number = 0;
  std::optional<FrameDependencyStructure> attached_structure;
  std::optional<uint32_t> active_decode_targets_bitmask;  // when sent explicitly
  std::optional<std::vector<DecodeTargetIndication>> custom_dtis;
  std::optional<std::vector<uint16_t>> custom_frame_diffs;  // 1-4096 each
  std::optional<std::vector<uint16_t>> custom_chain_diffs;  // 0-255 each

  // Only the mandatory fields, and whether a structure is attached.
  // Errors: truncated (fewer than 3 bytes).
  static Result<DependencyDescriptorMandatory> parse_mandatory(BytesView data);

  // The whole descriptor. `latest` is the structure in force before this
  // packet (ignored when the packet attaches its own). Errors: truncated,
  // invalid_value (a structure over the limits), missing_dependency_structure,
  // unknown_template.
  static Result<DependencyDescriptor> parse(BytesView data,
                                            const FrameDependencyStructure* latest);

  // The shortest encoding: 3 bytes when there are no extended fields.
  // Errors: missing_dependency_structure, unknown_template, invalid_argument.
  Result<Bytes> serialize(const FrameDependencyStructure* latest) const;

  // The frame's layer and dependencies: its template with the custom
  // fields applied. Errors: unknown_template.
  Result<FrameDependencyTemplate> frame_info(const FrameDependencyStructure& structure) const;

  // The structure this descriptor is read against.
  const FrameDependencyStructure* structure(const FrameDependencyStructure* latest) const {
    return attached_structure ? &*attached_structure : latest;
  }

  // A structure is attached only to the packets of a key frame (see above).
  bool is_key_frame() const { return attached_structure.has_value(); }

  friend bool operator==(const DependencyDescriptor&, const DependencyDescriptor&) = default;
};

}  // namespace conclave::rtp
