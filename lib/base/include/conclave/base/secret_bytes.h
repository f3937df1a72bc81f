// SecretBytes: key material. It wipes its storage when destroyed or resized,
// compares in constant time, and has no operator<< and no implicit
// conversion to Bytes, so a secret is never printed or copied by accident.
// Read access is explicit: `secret.view()`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "conclave/base/bytes.h"

namespace conclave {

// Overwrites `data` with zeros in a way the compiler cannot elide.
void secure_wipe(MutableBytesView data);

// Constant-time comparison: the time taken depends only on the lengths.
bool constant_time_equal(BytesView a, BytesView b);

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t size) : data_(size) {}
  explicit SecretBytes(BytesView data) : data_(data.begin(), data.end()) {}
  // Takes ownership of `data`; the moved-from buffer is left empty.
  static SecretBytes adopt(Bytes&& data) {
    SecretBytes s;
    s.data_ = std::move(data);
    return s;
  }

  SecretBytes(const SecretBytes& other) : data_(other.data_) {}
  SecretBytes& operator=(const SecretBytes& other) {
    if (this != &other) {
      wipe();
      data_ = other.data_;
    }
    return *this;
  }
  SecretBytes(SecretBytes&& other) noexcept : data_(std::move(other.data_)) {
    other.data_.clear();
  }
  SecretBytes& operator=(SecretBytes&& other) noexcept {
    if (this != &other) {
      wipe();
      data_ = std::move(other.data_);
      other.data_.clear();
    }
    return *this;
  }
  ~SecretBytes() { wipe(); }

  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  BytesView view() const { return data_; }
  MutableBytesView mutable_view() { return data_; }
  const uint8_t* data() const { return data_.data(); }
  uint8_t* data() { return data_.data(); }

  // Copies the secret out into ordinary bytes. Named loudly on purpose: use
  // it only where an API needs Bytes (a test comparing with a vector).
  Bytes reveal_copy() const { return data_; }

  friend bool operator==(const SecretBytes& a, const SecretBytes& b) {
    return constant_time_equal(a.data_, b.data_);
  }

 private:
  void wipe() {
    secure_wipe(data_);
    data_.clear();
  }
  Bytes data_;
};

}  // namespace conclave
