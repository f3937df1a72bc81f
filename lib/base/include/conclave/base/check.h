// CV_CHECK: an invariant of our own code. A failure is a bug in Conclave, not
// bad input, so it aborts with the location; it is never used on bytes that
// come from a peer (those return Result<T>).
#pragma once

namespace conclave::detail {
[[noreturn]] void check_failed(const char* expr, const char* file, int line);
}  // namespace conclave::detail

#define CV_CHECK(cond)                                                 \
  do {                                                                 \
    if (!(cond)) ::conclave::detail::check_failed(#cond, __FILE__, __LINE__); \
  } while (false)
