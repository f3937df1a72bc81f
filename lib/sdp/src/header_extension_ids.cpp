#include "conclave/sdp/header_extension_ids.h"

namespace conclave::sdp {

uint8_t* HeaderExtensionIds::slot(std::string_view uri) {
  if (uri == kAudioLevelUri) return &audio_level;
  if (uri == kMidUri) return &mid;
  if (uri == kTransportCcUri) return &transport_cc;
  if (uri == kAbsSendTimeUri) return &abs_send_time;
  if (uri == kDependencyDescriptorUri) return &dependency_descriptor;
  return nullptr;
}

uint8_t HeaderExtensionIds::id_of(std::string_view uri) const {
  HeaderExtensionIds copy = *this;
  const uint8_t* s = copy.slot(uri);
  return s == nullptr ? 0 : *s;
}

}  // namespace conclave::sdp
