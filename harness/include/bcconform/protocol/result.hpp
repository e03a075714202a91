// Error handling for the protocol core: an std::error_code-compatible enum and a small
// result<T> that carries either a value or an error with a human-readable detail.
// Nothing in the protocol core throws on bad input; every failure is one of these.
#pragma once

#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

namespace bcconform::protocol {

/// Why a line, a command or a value was refused. Usable as std::error_code.
enum class errc {
  ok = 0,
  syntax,               ///< the text does not have the documented shape
  unknown_command,      ///< no entry in the command table
  unsupported_form,     ///< the command exists, but not in this form (test/query/set/exec)
  missing_parameter,    ///< a mandatory parameter is absent or empty
  too_many_parameters,  ///< more parameters than the form documents
  wrong_type,           ///< e.g. a quoted string where an integer is documented
  out_of_range,         ///< integer outside the documented range, string too long
  bad_choice,           ///< quoted value not among the documented choices
  bad_quote,            ///< unterminated quote or text after a closing quote
  bad_hex,              ///< odd length or a non-hex digit in a hex string
  length_mismatch,      ///< a declared length disagrees with the data given
  wrong_prefix,         ///< a decoder was given a line of another kind
};

const std::error_category& protocol_category() noexcept;
std::error_code make_error_code(errc e) noexcept;

/// An error plus the detail a user needs to fix it ("parameter 2 <connectID>: 9 not in 0-5").
struct error {
  std::error_code code;
  std::string detail;
};

inline error make_error(errc e, std::string detail) {
  return {make_error_code(e), std::move(detail)};
}

/// Either a T or an error. Deliberately small: has_value(), value(), error().
template <class T>
class result {
 public:
  result(T value) : v_(std::move(value)) {}                                    // NOLINT(implicit)
  result(protocol::error err) : v_(std::in_place_index<1>, std::move(err)) {}  // NOLINT(implicit)

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  /// Precondition: has_value().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  /// Precondition: !has_value().
  const protocol::error& error() const& { return std::get<1>(v_); }

 private:
  std::variant<T, protocol::error> v_;
};

/// result<void>: success or an error.
template <>
class result<void> {
 public:
  result() = default;
  result(protocol::error err) : err_(std::move(err)), failed_(true) {}  // NOLINT(implicit)
  bool has_value() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return !failed_; }
  const protocol::error& error() const& { return err_; }

 private:
  protocol::error err_{};
  bool failed_ = false;
};

}  // namespace bcconform::protocol

template <>
struct std::is_error_code_enum<bcconform::protocol::errc> : std::true_type {};
