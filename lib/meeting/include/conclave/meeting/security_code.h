// The security code members compare (by voice or side by side) to know
// that they share one group: derived from the epoch authenticator (RFC 9420
// section 8.7), so it changes with every epoch and differs between members
// a server has split.
//
//   digest = SHA-256("conclave security code v1" || epoch_authenticator)
//   code   = four groups of 5 decimal digits: the first 16 bytes of digest
//            read as two big-endian uint64, each reduced mod 10^10
//            (about 66 bits in all)
//
// Example: "04519 88213 30977 61204".
#pragma once

#include <string>

#include "conclave/base/bytes.h"

namespace conclave::meeting {

std::string security_code(BytesView epoch_authenticator);

}  // namespace conclave::meeting
