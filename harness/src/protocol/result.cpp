#include "bcconform/protocol/result.hpp"

#include <string>

namespace bcconform::protocol {
namespace {

class protocol_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "bcconform.protocol"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::ok:
        return "success";
      case errc::syntax:
        return "syntax error";
      case errc::unknown_command:
        return "unknown command";
      case errc::unsupported_form:
        return "command does not support this form";
      case errc::missing_parameter:
        return "missing parameter";
      case errc::too_many_parameters:
        return "too many parameters";
      case errc::wrong_type:
        return "wrong parameter type";
      case errc::out_of_range:
        return "value out of range";
      case errc::bad_choice:
        return "value not among the documented choices";
      case errc::bad_quote:
        return "bad quoting";
      case errc::bad_hex:
        return "bad hex string";
      case errc::length_mismatch:
        return "declared length does not match the data";
      case errc::wrong_prefix:
        return "line is not of the expected kind";
    }
    return "unknown protocol error";
  }
};

}  // namespace

const std::error_category& protocol_category() noexcept {
  static const protocol_category_impl instance;
  return instance;
}

std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), protocol_category()};
}

}  // namespace bcconform::protocol
