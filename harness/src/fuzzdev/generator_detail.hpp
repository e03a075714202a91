// Internal to the generator: the random source of one case and the helpers the case kinds share.
#pragma once

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/fuzzdev/generator.hpp"
#include "bcconform/protocol/command_line.hpp"

namespace bcconform::fuzzdev::detail {

/// Random draws for one case. The bit stream is std::mt19937_64's, which the standard fixes;
/// the reductions to a range are written here (not std::uniform_int_distribution, whose
/// algorithm differs between standard libraries), so a seed means the same cases everywhere.
class draw {
 public:
  explicit draw(std::uint64_t seed) : engine_(seed) {}

  /// Uniform in [0, n); 0 when n == 0.
  std::uint64_t below(std::uint64_t n);
  /// Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi);
  /// True with probability num/den.
  bool chance(std::uint64_t num, std::uint64_t den) { return below(den) < num; }
  template <class T>
  const T& pick(std::span<const T> items) {
    return items[below(items.size())];
  }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  std::mt19937_64 engine_;
};

/// One parameter as it will be written: already formatted ("5", "\"TCP\"", "").
using fields = std::vector<std::string>;

std::string quoted(std::string_view text);

/// A value the table accepts for `p` (choices, ranges, lengths), as written on the line.
protocol::arg_value valid_value(draw& d, const protocol::param_spec& p);
/// Text of exactly `length` bytes for a string parameter: a safe host name pool where the
/// parameter is an address, printable filler otherwise; never a quote or a comma.
std::string text_of_length(draw& d, const protocol::param_spec& p, std::size_t length);
/// Printable filler of `length` bytes: no quote, comma, semicolon or control byte.
std::string filler_of_length(draw& d, std::size_t length);
/// `bytes` bytes as hex digits (E19: AT+QISENDEX lengths count bytes).
std::string hex_of_bytes(draw& d, std::size_t bytes);

/// Valid arguments for set form `f`, with the optional parameters present up to a depth drawn
/// at random but at least `min_depth`, and <send_length> matched to the data that follows it.
std::vector<protocol::arg_value> valid_args(draw& d, const protocol::form_spec& f,
                                            int min_depth = 0);
/// Makes <send_length> agree with the data parameter after it (AN 2.1.4, 2.1.6 E19).
void match_send_length(const protocol::form_spec& f, std::vector<protocol::arg_value>& args);
/// The written form of each argument (protocol::format_arg).
fields write_args(const std::vector<protocol::arg_value>& args);

/// A valid line of `c` in form `f` (no CR), or "" when no draw passes the table's checks.
std::string valid_line(draw& d, const protocol::command_spec& c, const protocol::form_spec& f);

/// The case kinds that break the rules; each fills `out` (bytes without the final CR,
/// description, command, form, param, value) and returns false when the drawn command offers
/// nothing to break (the caller draws again).
bool make_boundary(draw& d, const command_filter& filter, fuzz_case& out);
bool make_wrong_type(draw& d, const command_filter& filter, fuzz_case& out);
bool make_missing(draw& d, const command_filter& filter, fuzz_case& out);
bool make_extra(draw& d, const command_filter& filter, fuzz_case& out);
bool make_empty_field(draw& d, const command_filter& filter, fuzz_case& out);
bool make_overlong_string(draw& d, const command_filter& filter, fuzz_case& out);
bool make_overlong_line(draw& d, const command_filter& filter, std::size_t limit, fuzz_case& out);
bool make_quoting(draw& d, const command_filter& filter, fuzz_case& out);
bool make_mutation(draw& d, const command_filter& filter, fuzz_case& out);
bool make_valid(draw& d, const command_filter& filter, fuzz_case& out);

std::string to_string_kind(case_kind k);

/// The set forms of allowed commands that have parameters.
std::vector<std::pair<const protocol::command_spec*, const protocol::form_spec*>> set_forms(
    const command_filter& filter);

/// The data mode the module would enter for `line` (no CR): the form check_arguments() picks,
/// none when the table refuses the line.
protocol::data_mode data_mode_of(std::string_view line);

}  // namespace bcconform::fuzzdev::detail
