// Result<T>: the value of an operation that can fail on attacker-controlled
// input, or the reason it failed. Nothing on such a path throws.
//
// Each library declares its own error enum (codec::Errc, crypto::Errc,
// sframe::Errc, ...) and, next to it, two functions found by argument-
// dependent lookup:
//
//   std::string_view error_domain(Errc);   // "codec", "sframe", ...
//   std::string_view error_message(Errc);  // a static, human-readable text
//
// An Error remembers the domain, the numeric code and the message; it holds
// no heap memory, so failing is as cheap as succeeding on the media path.
// `error.is(codec::Errc::truncated)` tests for a particular reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "conclave/base/check.h"

namespace conclave {

template <class E>
concept ErrorEnum = std::is_enum_v<E> && requires(E e) {
  { error_domain(e) } -> std::convertible_to<std::string_view>;
  { error_message(e) } -> std::convertible_to<std::string_view>;
};

class Error {
 public:
  template <ErrorEnum E>
  Error(E e, std::string_view detail = {})  // NOLINT(google-explicit-constructor)
      : domain_(error_domain(e)),
        message_(error_message(e)),
        detail_(detail),
        code_(static_cast<int>(e)) {}

  std::string_view domain() const { return domain_; }
  std::string_view message() const { return message_; }
  // A static string naming the field or rule that failed, or empty.
  std::string_view detail() const { return detail_; }
  int code() const { return code_; }

  template <ErrorEnum E>
  bool is(E e) const {
    return code_ == static_cast<int>(e) && domain_ == error_domain(e);
  }

  // "domain: message (detail)", for logs and error replies.
  std::string to_string() const;

 private:
  std::string_view domain_;
  std::string_view message_;
  std::string_view detail_;
  int code_;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(error) {}          // NOLINT(google-explicit-constructor)
  template <ErrorEnum E>
  Result(E e) : v_(Error(e)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    CV_CHECK(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    CV_CHECK(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    CV_CHECK(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    CV_CHECK(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(error) {}  // NOLINT(google-explicit-constructor)
  template <ErrorEnum E>
  Result(E e) : e_(Error(e)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    CV_CHECK(!ok());
    return *e_;
  }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

inline Status ok_status() { return {}; }

}  // namespace conclave

#define CV_CONCAT_INNER(a, b) a##b
#define CV_CONCAT(a, b) CV_CONCAT_INNER(a, b)

// CV_TRY(decl, expr): evaluates expr (a Result<T>); on failure returns its
// error from the enclosing function, otherwise declares `decl` from the
// value. Example: CV_TRY(auto len, reader.read_varint());
#define CV_TRY(decl, expr) CV_TRY_IMPL(CV_CONCAT(cv_try_, __LINE__), decl, expr)
#define CV_TRY_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                 \
  if (!tmp.ok()) return tmp.error(); \
  decl = std::move(tmp).value()

// CV_TRY_STATUS(expr): evaluates a Status and returns its error on failure.
#define CV_TRY_STATUS(expr) CV_TRY_STATUS_IMPL(CV_CONCAT(cv_try_, __LINE__), expr)
#define CV_TRY_STATUS_IMPL(tmp, expr) \
  if (auto tmp = (expr); !tmp.ok()) return tmp.error()
