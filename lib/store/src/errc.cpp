#include "conclave/store/errc.h"

namespace conclave::store {

std::string_view error_domain(Errc) { return "store"; }

std::string_view error_message(Errc e) {
  switch (e) {
    case Errc::not_found: return "not found";
    case Errc::invalid_argument: return "invalid argument";
    case Errc::database_error: return "database error";
    case Errc::schema_too_new: return "database schema is newer than this program";
    case Errc::hash_failed: return "passcode hashing failed";
    case Errc::corrupt_record: return "corrupt record";
  }
  return "unknown store error";
}

}  // namespace conclave::store
