#include "conclave/mls/commit.h"

namespace conclave::mls {

Bytes encode(const Commit& commit) {
  return codec::encode(commit);
}

Result<Commit> decode_commit(BytesView data) {
  return codec::decode<Commit>(data);
}

}  // namespace conclave::mls
