#include "conclave/codec/errc.h"

namespace conclave::codec {

std::string_view error_domain(Errc) {
  return "codec";
}

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::truncated:
      return "input truncated";
    case Errc::non_minimal_varint:
      return "varint not minimally encoded";
    case Errc::invalid_varint_prefix:
      return "varint with invalid prefix 11";
    case Errc::length_too_large:
      return "vector length exceeds the limit or the remaining input";
    case Errc::trailing_data:
      return "trailing data after the value";
    case Errc::invalid_optional:
      return "optional presence byte not 0 or 1";
    case Errc::unknown_variant:
      return "unknown variant tag";
    case Errc::invalid_value:
      return "value out of range";
    case Errc::nesting_too_deep:
      return "nesting too deep";
  }
  return "unknown codec error";
}

}  // namespace conclave::codec
