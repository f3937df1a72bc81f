// Errors of the native client's media pipelines (VideoSender, AudioSender,
// MediaReceiver). The codec, SFrame and RTP layers keep their own domains
// (media, sframe, rtp): a sender returns their errors unchanged; these
// cover the pipeline's own decisions.
#pragma once

#include <string_view>

namespace conclave::client {

enum class MediaErrc {
  invalid_config = 1,  // a pipeline configuration field is out of range
  no_media_key,        // no current MLS epoch: the frame is not sent (never in the clear)
  external_subscriber,       // the test-only external subscriber could not start or is gone
  external_subscriber_line,  // a line from the external subscriber is not a valid message
};

std::string_view error_domain(MediaErrc);
std::string_view error_message(MediaErrc e);

}  // namespace conclave::client
