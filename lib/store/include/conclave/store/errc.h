// Errors of the server store.
#pragma once

#include <string_view>

namespace conclave::store {

enum class Errc {
  not_found = 1,       // no meeting with that ID
  invalid_argument,    // malformed ID, passcode too long, ...
  database_error,      // SQLite reported an error
  schema_too_new,      // the database was written by a newer Conclave
  hash_failed,         // the passcode KDF failed (out of memory, bad parameters)
  corrupt_record,      // a stored row does not parse
};

std::string_view error_domain(Errc);
std::string_view error_message(Errc e);

}  // namespace conclave::store
