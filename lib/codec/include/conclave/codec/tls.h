// Generic encode/decode of wire structs, driven by C++20 concepts.
//
// A wire struct quotes the RFC and lists its fields once, in wire order:
//
//   // struct { opaque group_id<V>; uint64 epoch; } Foo;
//   struct Foo {
//     Bytes group_id;
//     uint64_t epoch = 0;
//     CV_TLS_FIELDS(group_id, epoch)
//     bool operator==(const Foo&) const = default;
//   };
//
//   Bytes wire = codec::encode(foo);
//   CV_TRY(Foo back, codec::decode<Foo>(wire));   // all input must be consumed
//
// CV_TLS_FIELDS only describes the wire layout. It does not declare
// equality (a macro cannot name the enclosing class): write the defaulted
// operator== yourself where you need it, as above.
//
// Field types and their encoding:
//
//   uint8_t, uint16_t, uint32_t, uint64_t   uint8 .. uint64, big-endian
//   enum class E : uintN_t                  the underlying integer. Any value
//                                           decodes, unless E opts in to a
//                                           check with an ADL function
//                                           `bool tls_valid(E)` (invalid_value)
//   Bytes, SecretBytes, BytesView           opaque x<V>. A decoded BytesView
//                                           points into the input buffer
//   std::vector<T>                          T x<V>: varint byte length, items
//   std::optional<T>                        presence byte 0/1, then T
//   std::array<uint8_t, N> (any T)          T x[N]: N items, no length
//   CV_TLS_FIELDS struct                    its fields in order
//   std::variant<A, B, ...>                 tag, then the alternative. Each
//                                           alternative declares its tag:
//                                           `static constexpr ProposalType
//                                           kType = ProposalType::add;`
//                                           All tags have the same type
//                                           (enum or uintN_t) and differ.
//                                           An unknown tag is unknown_variant.
//   struct with tls_encode/tls_decode       whatever it does (see below)
//
// Variants. `Tagged<ContentType::application, Bytes>` gives a tag to a type
// that cannot carry one (Bytes, or a struct that is an alternative under two
// different tag enums); its `.value` holds the payload. For a select() whose
// tag is not written right before the body (the tag is a field further up,
// or comes from the enclosing message), use variant_tag / encode_variant_body
// / decode_variant_body inside a custom codec:
//
//   struct PrivateMessageContent {          // select on an outer content_type
//     std::variant<Application, Proposal, Commit> content;
//     ...
//     void tls_encode(codec::Writer& w) const;   // encode_variant_body(w, content); ...
//     Status tls_decode(codec::Reader& r);       // needs the tag from elsewhere
//   };
//
// Custom codecs. A type with `void tls_encode(Writer&) const` and
// `Status tls_decode(Reader&)` (found by the CustomCodec concept, preferred
// over CV_TLS_FIELDS) encodes itself. tls_decode fills *this and may leave
// it half-filled on error: codec::decode discards it.
//
// Guarantees of decode: on error nothing partial reaches the caller (the
// Result holds only the error) and the Reader is rewound to where it was.
// Lengths are checked against the remaining input before any allocation;
// owned fields copy only their own bytes. Structs and vectors count as
// nesting levels (ReaderLimits::max_depth). A codec error inside a struct
// names the innermost failing field in Error::detail().
//
// Decoded types must be default-constructible. Declare wire structs at
// namespace scope: CV_TLS_FIELDS adds member templates, which local classes
// cannot have. A vector whose item decodes from zero bytes (a vector of
// empty structs) is rejected as invalid_value, since it has no unambiguous
// encoding.
//
// Encoding cannot fail for valid values: a length of 2^30 or more aborts
// through CV_CHECK (see writer.h), as does an empty std::variant
// (valueless_by_exception).
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "conclave/base/bytes.h"
#include "conclave/base/check.h"
#include "conclave/base/result.h"
#include "conclave/base/secret_bytes.h"
#include "conclave/codec/errc.h"
#include "conclave/codec/reader.h"
#include "conclave/codec/writer.h"

// Lists the wire fields of a struct, in order. Expands to tls_fields(visitor)
// (const and non-const; calls visitor(field...)) and tls_field_names().
#define CV_TLS_FIELDS(...)                                                         \
  template <class CvTlsVisitor>                                                    \
  constexpr decltype(auto) tls_fields(CvTlsVisitor&& cv_tls_visitor) {             \
    return std::forward<CvTlsVisitor>(cv_tls_visitor)(__VA_ARGS__);                \
  }                                                                                \
  template <class CvTlsVisitor>                                                    \
  constexpr decltype(auto) tls_fields(CvTlsVisitor&& cv_tls_visitor) const {       \
    return std::forward<CvTlsVisitor>(cv_tls_visitor)(__VA_ARGS__);                \
  }                                                                                \
  static constexpr std::string_view tls_field_names() { return #__VA_ARGS__; }

namespace conclave::codec {

// ---------------------------------------------------------------- concepts

template <class T>
concept WireUint = std::same_as<T, uint8_t> || std::same_as<T, uint16_t> ||
                   std::same_as<T, uint32_t> || std::same_as<T, uint64_t>;

template <class T>
concept WireEnum = std::is_enum_v<T> && WireUint<std::underlying_type_t<T>>;

// A value that can be a variant tag: an unsigned integer or such an enum.
template <class T>
concept WireInteger = WireUint<T> || WireEnum<T>;

// An enum that opted in to value checks with an ADL `bool tls_valid(E)`.
template <class E>
concept ValidatedEnum = WireEnum<E> && requires(E e) {
  { tls_valid(e) } -> std::same_as<bool>;
};

template <class T>
concept FieldStruct = requires {
  { T::tls_field_names() } -> std::same_as<std::string_view>;
};

template <class T>
concept CustomCodec = requires(const T& ct, T& t, Writer& w, Reader& r) {
  { ct.tls_encode(w) } -> std::same_as<void>;
  { t.tls_decode(r) } -> std::same_as<Status>;
};

// A variant alternative: declares `static constexpr <tag> kType`.
template <class T>
concept HasTlsTag = requires {
  T::kType;
} && WireInteger<std::remove_cv_t<decltype(T::kType)>>;

namespace detail {

template <class T>
inline constexpr bool kAlwaysFalse = false;

template <class T>
struct VectorInfo : std::false_type {};
template <class T>
struct VectorInfo<std::vector<T>> : std::true_type {};

template <class T>
struct OptionalInfo : std::false_type {};
template <class T>
struct OptionalInfo<std::optional<T>> : std::true_type {};

template <class T>
struct ArrayInfo : std::false_type {};
template <class T, size_t N>
struct ArrayInfo<std::array<T, N>> : std::true_type {};

template <class T>
using TagOf = std::remove_cv_t<decltype(T::kType)>;

template <class E>
constexpr uint64_t tag_value(E e) {
  if constexpr (WireEnum<E>) {
    return static_cast<uint64_t>(static_cast<std::underlying_type_t<E>>(e));
  } else {
    return static_cast<uint64_t>(e);
  }
}

template <class... Ts>
constexpr bool tags_distinct() {
  const std::array<uint64_t, sizeof...(Ts)> tags{tag_value(Ts::kType)...};
  for (size_t i = 0; i < tags.size(); ++i) {
    for (size_t j = i + 1; j < tags.size(); ++j) {
      if (tags[i] == tags[j]) return false;
    }
  }
  return true;
}

template <class V>
struct VariantInfo {
  static constexpr bool kTagged = false;
};
template <class T0, class... Ts>
  requires(HasTlsTag<T0> && (HasTlsTag<Ts> && ...))
struct VariantInfo<std::variant<T0, Ts...>> {
  static constexpr bool kTagged = (std::same_as<TagOf<T0>, TagOf<Ts>> && ...);
  using Tag = TagOf<T0>;
};

}  // namespace detail

// std::variant whose alternatives all declare a kType of one tag type.
template <class V>
concept TaggedVariant = detail::VariantInfo<V>::kTagged;

template <TaggedVariant V>
using VariantTag = typename detail::VariantInfo<V>::Tag;

// The types encode/decode accept (element types are checked when used).
template <class T>
concept Encodable =
    CustomCodec<T> || WireInteger<T> || std::same_as<T, Bytes> || std::same_as<T, BytesView> ||
    std::same_as<T, SecretBytes> || detail::VectorInfo<T>::value ||
    detail::OptionalInfo<T>::value || detail::ArrayInfo<T>::value || TaggedVariant<T> ||
    FieldStruct<T>;

// Gives a tag to a variant alternative that cannot declare one itself:
// std::variant<Tagged<ContentType::application, Bytes>, Proposal, Commit>.
template <auto Tag, class T>
  requires WireInteger<decltype(Tag)>
struct Tagged {
  static constexpr auto kType = Tag;
  T value{};
  CV_TLS_FIELDS(value)
  friend bool operator==(const Tagged&, const Tagged&) = default;
};

// ---------------------------------------------------------------- details

namespace detail {

// The i-th name of a CV_TLS_FIELDS list ("group_id, epoch").
std::string_view field_name(std::string_view names, size_t index);
// Adds the failing field's name to a codec error that has no detail yet.
Error name_field(const Error& error, std::string_view names, size_t index);

template <WireUint T>
void write_uint(Writer& w, T v) {
  if constexpr (sizeof(T) == 1) {
    w.write_u8(v);
  } else if constexpr (sizeof(T) == 2) {
    w.write_u16(v);
  } else if constexpr (sizeof(T) == 4) {
    w.write_u32(v);
  } else {
    w.write_u64(v);
  }
}

template <WireUint T>
Result<T> read_uint(Reader& r) {
  if constexpr (sizeof(T) == 1) {
    return r.read_u8();
  } else if constexpr (sizeof(T) == 2) {
    return r.read_u16();
  } else if constexpr (sizeof(T) == 4) {
    return r.read_u32();
  } else {
    return r.read_u64();
  }
}

template <WireInteger T>
void write_integer(Writer& w, T v) {
  if constexpr (WireEnum<T>) {
    write_uint(w, static_cast<std::underlying_type_t<T>>(v));
  } else {
    write_uint(w, v);
  }
}

// Reads an integer or enum without the enum's value check.
template <WireInteger T>
Result<T> read_integer(Reader& r) {
  if constexpr (WireEnum<T>) {
    CV_TRY(const auto raw, read_uint<std::underlying_type_t<T>>(r));
    return static_cast<T>(raw);
  } else {
    return read_uint<T>(r);
  }
}

template <class T>
void encode_value(Writer& w, const T& v);
template <class T>
Status decode_value(Reader& r, T& out);

template <class V, size_t... Is>
void encode_alternative(Writer& w, const V& v, std::index_sequence<Is...>) {
  CV_CHECK(!v.valueless_by_exception());
  (void)((v.index() == Is ? (encode_value(w, *std::get_if<Is>(&v)), true) : false) || ...);
}

template <class V, size_t... Is>
Status decode_alternative(Reader& r, V& out, VariantTag<V> tag, std::index_sequence<Is...>) {
  Status status = Errc::unknown_variant;
  (void)((tag == std::variant_alternative_t<Is, V>::kType
              ? (status = decode_value(r, out.template emplace<Is>()), true)
              : false) ||
         ...);
  return status;
}

template <class V, size_t... Is>
VariantTag<V> tag_at(size_t index, std::index_sequence<Is...>) {
  static constexpr std::array<VariantTag<V>, sizeof...(Is)> kTags{
      std::variant_alternative_t<Is, V>::kType...};
  return kTags[index];
}

template <class V>
constexpr bool check_tags() {
  return []<class... Ts>(std::type_identity<std::variant<Ts...>>) {
    return tags_distinct<Ts...>();
  }(std::type_identity<V>{});
}

template <class T>
void encode_value(Writer& w, const T& v) {
  if constexpr (CustomCodec<T>) {
    v.tls_encode(w);
  } else if constexpr (WireInteger<T>) {
    write_integer(w, v);
  } else if constexpr (std::same_as<T, Bytes> || std::same_as<T, BytesView>) {
    w.write_opaque(v);
  } else if constexpr (std::same_as<T, SecretBytes>) {
    w.write_opaque(v.view());
  } else if constexpr (VectorInfo<T>::value) {
    const Writer::VectorMark mark = w.begin_vector();
    for (const auto& item : v) encode_value(w, item);
    w.end_vector(mark);
  } else if constexpr (OptionalInfo<T>::value) {
    w.write_u8(v.has_value() ? 1 : 0);
    if (v.has_value()) encode_value(w, *v);
  } else if constexpr (ArrayInfo<T>::value) {
    if constexpr (std::same_as<typename T::value_type, uint8_t>) {
      w.write_bytes(v);
    } else {
      for (const auto& item : v) encode_value(w, item);
    }
  } else if constexpr (TaggedVariant<T>) {
    static_assert(check_tags<T>(), "variant alternatives must have distinct kType tags");
    CV_CHECK(!v.valueless_by_exception());
    write_integer(w, tag_at<T>(v.index(), std::make_index_sequence<std::variant_size_v<T>>{}));
    encode_alternative(w, v, std::make_index_sequence<std::variant_size_v<T>>{});
  } else if constexpr (FieldStruct<T>) {
    v.tls_fields([&w](const auto&... fields) { (encode_value(w, fields), ...); });
  } else {
    static_assert(kAlwaysFalse<T>,
                  "no TLS encoding for this type: see the table in conclave/codec/tls.h");
  }
}

template <class T>
Status decode_value(Reader& r, T& out) {
  if constexpr (CustomCodec<T>) {
    CV_TRY_STATUS(r.enter_nested());
    const Status status = out.tls_decode(r);
    r.leave_nested();
    return status;
  } else if constexpr (WireInteger<T>) {
    CV_TRY(out, read_integer<T>(r));
    if constexpr (ValidatedEnum<T>) {
      if (!tls_valid(out)) return Errc::invalid_value;
    }
    return {};
  } else if constexpr (std::same_as<T, Bytes>) {
    CV_TRY(const BytesView data, r.read_opaque());
    out.assign(data.begin(), data.end());
    return {};
  } else if constexpr (std::same_as<T, BytesView>) {
    CV_TRY(out, r.read_opaque());
    return {};
  } else if constexpr (std::same_as<T, SecretBytes>) {
    CV_TRY(const BytesView data, r.read_opaque());
    out = SecretBytes(data);
    return {};
  } else if constexpr (VectorInfo<T>::value) {
    CV_TRY(Reader items, r.read_vector());
    out.clear();
    while (!items.empty()) {
      const size_t before = items.remaining();
      CV_TRY_STATUS(decode_value(items, out.emplace_back()));
      // An item that takes no bytes would loop forever; such a vector has
      // no meaningful encoding.
      if (items.remaining() == before) {
        return Error(Errc::invalid_value, "vector item of zero size");
      }
    }
    return {};
  } else if constexpr (OptionalInfo<T>::value) {
    CV_TRY(const uint8_t present, r.read_u8());
    if (present == 0) {
      out.reset();
      return {};
    }
    if (present != 1) return Errc::invalid_optional;
    return decode_value(r, out.emplace());
  } else if constexpr (ArrayInfo<T>::value) {
    if constexpr (std::same_as<typename T::value_type, uint8_t>) {
      CV_TRY(const BytesView data, r.read_bytes(out.size()));
      std::copy(data.begin(), data.end(), out.begin());
    } else {
      for (auto& item : out) CV_TRY_STATUS(decode_value(r, item));
    }
    return {};
  } else if constexpr (TaggedVariant<T>) {
    static_assert(check_tags<T>(), "variant alternatives must have distinct kType tags");
    CV_TRY(const VariantTag<T> tag, read_integer<VariantTag<T>>(r));
    return decode_alternative(r, out, tag, std::make_index_sequence<std::variant_size_v<T>>{});
  } else if constexpr (FieldStruct<T>) {
    CV_TRY_STATUS(r.enter_nested());
    size_t decoded = 0;
    const Status status = out.tls_fields([&](auto&... fields) {
      Status s;
      (void)(((s = decode_value(r, fields)), s.ok() ? (++decoded, true) : false) && ...);
      return s;
    });
    r.leave_nested();
    if (!status.ok()) return name_field(status.error(), T::tls_field_names(), decoded);
    return {};
  } else {
    static_assert(kAlwaysFalse<T>,
                  "no TLS decoding for this type: see the table in conclave/codec/tls.h");
  }
}

}  // namespace detail

// ---------------------------------------------------------------- public API

template <Encodable T>
void encode(Writer& w, const T& value) {
  detail::encode_value(w, value);
}

template <Encodable T>
Bytes encode(const T& value) {
  Writer w;
  detail::encode_value(w, value);
  return w.take();
}

// Decodes one T at the reader's position. On error the reader is rewound
// and no part of the value is returned.
template <Encodable T>
Result<T> decode(Reader& r) {
  static_assert(std::is_default_constructible_v<T>, "decoded types must be default-constructible");
  const size_t start = r.position();
  // Decoded in place inside the Result (one named return object, so no
  // move of the finished value).
  Result<T> result(T{});
  const Status status = detail::decode_value(r, result.value());
  if (!status.ok()) {
    r.rewind(start);
    result = status.error();
  }
  return result;
}

// Decodes a T that must span all of `data` (trailing_data otherwise).
template <Encodable T>
Result<T> decode(BytesView data, ReaderLimits limits = {}) {
  Reader r(data, limits);
  Result<T> result = decode<T>(r);
  if (result.ok()) {
    if (Status rest = r.finish(); !rest.ok()) result = rest.error();
  }
  return result;
}

// The tag of the alternative a variant holds.
template <TaggedVariant V>
VariantTag<V> variant_tag(const V& v) {
  CV_CHECK(!v.valueless_by_exception());
  return detail::tag_at<V>(v.index(), std::make_index_sequence<std::variant_size_v<V>>{});
}

// Whether some alternative of V has this tag.
template <TaggedVariant V>
constexpr bool has_variant_tag(VariantTag<V> tag) {
  return []<class... Ts>(std::type_identity<std::variant<Ts...>>, VariantTag<V> t) {
    return ((t == Ts::kType) || ...);
  }(std::type_identity<V>{}, tag);
}

// The body of the alternative a variant holds, without its tag: for a
// select() whose tag is written elsewhere.
template <TaggedVariant V>
void encode_variant_body(Writer& w, const V& v) {
  static_assert(detail::check_tags<V>(), "variant alternatives must have distinct kType tags");
  detail::encode_alternative(w, v, std::make_index_sequence<std::variant_size_v<V>>{});
}

// Decodes the alternative of V whose kType is `tag` (read elsewhere).
// unknown_variant when no alternative has that tag; the reader is rewound
// on error.
template <TaggedVariant V>
Result<V> decode_variant_body(Reader& r, VariantTag<V> tag) {
  static_assert(detail::check_tags<V>(), "variant alternatives must have distinct kType tags");
  const size_t start = r.position();
  Result<V> result(V{});
  const Status status = detail::decode_alternative(
      r, result.value(), tag, std::make_index_sequence<std::variant_size_v<V>>{});
  if (!status.ok()) {
    r.rewind(start);
    result = status.error();
  }
  return result;
}

}  // namespace conclave::codec
