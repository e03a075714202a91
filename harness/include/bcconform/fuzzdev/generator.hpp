// The device fuzzer's case generator: sans-I/O and deterministic. Case `i` of seed `s` depends
// only on (s, i) and the options, never on earlier cases or on the module's answers, so
// `--seed s --start i --count 1` sends exactly the bytes of case i again.
//
// Every case is built from the command table (protocol/command_table.hpp): valid commands in each
// documented form, boundary values at each parameter's range (min, max, min-1, max+1), wrong
// types, missing and extra parameters, empty fields (`1,,3`), overlong strings and lines, quoting
// errors, and byte-level mutations of valid lines. Some cases are interleavings: the line is sent
// while the harness holds the module in a state (data mode, a pending AT+QIOPEN, a socket a peer
// floods); the engine sets that state up, the generator only says which.
//
// Every case's bytes pass command_filter::denied_in() before they are returned: a mutation that
// would spell a deny-listed command is drawn again.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bcconform/fuzzdev/command_filter.hpp"
#include "bcconform/protocol/command_table.hpp"

namespace bcconform::fuzzdev {

enum class case_kind : std::uint8_t {
  valid,            ///< a command the table accepts, in one of its documented forms
  boundary,         ///< one parameter at min, max, min-1 or max+1 (strings: their lengths)
  wrong_type,       ///< a quoted string where an integer is documented, or the reverse
  missing_param,    ///< a mandatory parameter left out
  extra_param,      ///< one parameter more than the form documents
  empty_field,      ///< a parameter present but empty: `1,,3`, or a trailing comma
  overlong_string,  ///< a string parameter far beyond its maximum length
  overlong_line,    ///< a line around and beyond the module's line limit
  quoting,          ///< unterminated quote, quote inside a string, missing or needless quotes
  mutation,         ///< a valid line with bytes flipped, cut, repeated, re-cased or inserted
};
inline constexpr int case_kind_count = 10;

std::string_view to_string(case_kind k) noexcept;

/// The module state the engine sets up around the case's line.
enum class interleave : std::uint8_t {
  none,
  data_mode,     ///< the line is typed after the `> ` prompt of AT+QISEND (AN 2.1.4): it is data
  pending_open,  ///< the line follows the OK of an AT+QIOPEN whose +QIOPEN URC is pending
  flood,         ///< the line is sent while a peer floods a direct-push socket (AN 2.2.2)
};

std::string_view to_string(interleave i) noexcept;

struct generator_options {
  std::uint64_t seed = 0;
  command_filter filter;
  /// The module's longest command line; overlong lines are drawn around it. bcemu keeps 4096
  /// bytes (harness/src/emulator/interpreter.cpp); the note states no limit.
  std::size_t line_limit = 4096;
  /// Draw interleavings (the engine needs a peer the module can reach for them).
  bool interleavings = true;
  /// Case kinds to draw from, one bit per case_kind value; all by default.
  std::uint32_t kinds = (1u << case_kind_count) - 1;
};

struct fuzz_case {
  std::uint64_t index = 0;
  case_kind kind = case_kind::valid;
  interleave with = interleave::none;
  /// The bytes written for the case, line terminators included. For interleave::data_mode they
  /// are the data typed after the prompt (the engine adds the Ctrl+Z).
  std::string bytes;
  std::string description;  ///< "boundary AT+QIRD <read_length>=513 (max+1)"

  const protocol::command_spec* command = nullptr;  ///< the entry the case was built from
  const protocol::form_spec* variant = nullptr;     ///< its form (AT+QISTATE has two set forms)
  protocol::form form = protocol::form::exec;
  std::string key;             ///< keyed set forms (AT+QICFG="viewmode")
  std::string param;           ///< boundary / wrong_type / ... : the parameter concerned
  std::int64_t value = 0;      ///< boundary: the integer value or string length sent
  bool string_length = false;  ///< boundary: `value` is a length in bytes

  /// What the engine types if the module answers the last line with a `> ` prompt (AN 2.1.4):
  /// the data, then `data_end` (Ctrl+Z sends, Esc cancels; 0 for a fixed-length form, whose
  /// data is exactly <send_length> bytes, twice as many hex digits for AT+QISENDEX, E19).
  std::string payload;
  char data_end = 0x1a;

  int socket = 0;  ///< interleavings: the connect ID the engine uses (AN 2.1.1 <connectID>)
};

class generator {
 public:
  explicit generator(generator_options o);

  /// Case `index` (see the file comment). Never fails; a case whose every draw the filter
  /// refuses falls back to a valid line of an allowed command.
  fuzz_case generate(std::uint64_t index) const;

  const generator_options& options() const noexcept { return options_; }

 private:
  generator_options options_;
};

/// The random stream of case `index` of `seed`: the two mixed with SplitMix64, so neighbouring
/// indices and seeds give unrelated streams.
std::uint64_t case_seed(std::uint64_t seed, std::uint64_t index) noexcept;

}  // namespace bcconform::fuzzdev
