#include "conclave/client/media_errc.h"

namespace conclave::client {

std::string_view error_domain(MediaErrc) {
  return "client.media";
}

std::string_view error_message(MediaErrc e) {
  switch (e) {
    case MediaErrc::invalid_config:
      return "invalid media pipeline configuration";
    case MediaErrc::no_media_key:
      return "no media key for the current epoch: frame not sent";
    case MediaErrc::external_subscriber:
      return "external subscriber process failed";
    case MediaErrc::external_subscriber_line:
      return "invalid line from the external subscriber";
  }
  return "unknown client media error";
}

}  // namespace conclave::client
