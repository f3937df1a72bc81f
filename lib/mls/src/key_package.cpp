#include "conclave/mls/key_package.h"

namespace conclave::mls {

Bytes encode_key_package_tbs(const KeyPackage& key_package) {
  codec::Writer w;
  codec::encode(w, key_package.version);
  codec::encode(w, key_package.cipher_suite);
  codec::encode(w, key_package.init_key);
  codec::encode(w, key_package.leaf_node);
  codec::encode(w, key_package.extensions);
  return w.take();
}

Bytes encode(const KeyPackage& key_package) {
  return codec::encode(key_package);
}

Result<KeyPackage> decode_key_package(BytesView data) {
  return codec::decode<KeyPackage>(data);
}

}  // namespace conclave::mls
