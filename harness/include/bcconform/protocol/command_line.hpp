// Host-to-module command lines: parsing what a host sent, checking it against the command
// table, and encoding typed argument lists into bytes. The emulator's argument checks, the
// session tracker, the encoders and the device fuzzer all go through check_arguments(), so a
// range or a nesting rule lives only in the table.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/protocol/command_table.hpp"
#include "bcconform/protocol/result.hpp"

namespace bcconform::protocol {

/// One argument as written on the command line.
struct arg_value {
  enum class kind : std::uint8_t { absent, integer, quoted, unquoted };
  kind type = kind::absent;
  std::int64_t number = 0;  ///< kind::integer
  std::string text;         ///< kind::quoted (without quotes) / kind::unquoted

  static arg_value absent() { return {}; }
  static arg_value integer(std::int64_t n) { return {kind::integer, n, {}}; }
  static arg_value quoted(std::string s) { return {kind::quoted, 0, std::move(s)}; }
  static arg_value unquoted(std::string s) { return {kind::unquoted, 0, std::move(s)}; }
  friend bool operator==(const arg_value&, const arg_value&) = default;
};

/// A command line split into its parts, before any check against the table.
struct parsed_command {
  const command_spec* spec = nullptr;  ///< nullptr when the name is not in the table
  const form_spec* variant = nullptr;  ///< the documented form that matches (after check)
  form kind = form::exec;
  std::string name;             ///< as typed, upper-cased: "+QIRD", "E", ""
  std::string key;              ///< keyed set forms (AT+QICFG="viewmode",1 → viewmode)
  std::vector<arg_value> args;  ///< set forms: the parameters after the key
};

/// Parses one command line as the host sends it, without the terminating CR:
/// "AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,1", "ATE0", "AT&W", "AT". The "AT" prefix is
/// case-insensitive; spaces outside quotes are ignored (V.250 §5.1). Fails with errc::syntax
/// for text that is not an AT command line; an unknown name parses (spec == nullptr).
result<parsed_command> parse_command_line(std::string_view line);

/// Checks a parsed command against its table entry: known name, documented form, parameter
/// count and nesting, types, ranges and choices. On success sets `cmd.variant` to the
/// matching form (for AT+QISEND the data-mode variant is chosen by the parameters present).
/// The error detail names the parameter, its position and the documented range.
result<void> check_arguments(parsed_command& cmd);

/// One argument as written on a line: its digits, its text in double quotes, its text as is, or
/// nothing when absent.
std::string format_arg(const arg_value& a);

/// "AT" + the command's name + the form's suffix ("=?", "?"); a set form adds "=" (extended
/// syntax), its key in quotes and `fields` as given, comma-separated. Nothing is checked, so
/// lines the table refuses are written as readily as valid ones (the device fuzzer's cases).
std::string format_fields(const command_spec& c, form f, std::string_view key,
                          const std::vector<std::string>& fields);

/// Encodes a command from its parts after checking it: "AT+QIRD=0,512" (no CR appended).
/// Refuses anything check_arguments() refuses, with the same error.
result<std::string> encode_command(const command_spec& spec, form f,
                                   const std::vector<arg_value>& args, std::string_view key = {});

}  // namespace bcconform::protocol
