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
  }
  return "unknown client media error";
}

}  // namespace conclave::client
