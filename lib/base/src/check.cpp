#include "conclave/base/check.h"

#include <cstdio>
#include <cstdlib>

namespace conclave::detail {

void check_failed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "CV_CHECK failed: %s at %s:%d\n", expr, file, line);
  std::abort();
}

}  // namespace conclave::detail
