#include "conclave/mls/extension.h"

namespace conclave::mls {

const Extension* find_extension(std::span<const Extension> extensions, ExtensionType type) {
  for (const Extension& ext : extensions) {
    if (ext.extension_type == type) return &ext;
  }
  return nullptr;
}

bool has_duplicate_extension_types(std::span<const Extension> extensions) {
  // Lists are short (a handful of entries): a quadratic scan is fine.
  for (size_t i = 0; i < extensions.size(); ++i) {
    for (size_t j = i + 1; j < extensions.size(); ++j) {
      if (extensions[i].extension_type == extensions[j].extension_type) return true;
    }
  }
  return false;
}

}  // namespace conclave::mls
