// Internals of the coverage matrix shared by its source files and tested directly: placing a
// `send` line in the command table, and deciding what a line pattern can only match.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/protocol/command_table.hpp"
#include "bcconform/scenario/model.hpp"

namespace bcconform::coverage::detail {

/// A templated string cut at its `${name}` references (`$$` already turned into `$`).
struct template_piece {
  bool variable = false;
  std::string text;  ///< literal text, or the variable's name
};
std::vector<template_piece> split_template(std::string_view text);

/// Where a `send` line lands in the command table.
struct placement {
  const protocol::command_spec* command = nullptr;  ///< set when the name is in the table
  const protocol::form_spec* form = nullptr;        ///< nullptr: not placed, `why` says why
  protocol::form kind = protocol::form::exec;
  std::string why;
};

/// Parses `line` (a send step's text, `${...}` opaque, see coverage.hpp) and finds its form.
placement place_send(std::string_view line);

/// A line matcher's text as an RE2 pattern over the whole line: exact text quoted, each
/// `${...}` replaced by `(?s:.*)`.
std::string exact_to_pattern(std::string_view text);
/// A regular expression with each `${...}` replaced by `(?s:.*)` (`$$` is a `$`).
std::string regex_to_pattern(std::string_view text);

/// Bounds of every string a pattern matches whole: min <= s <= max (RE2 PossibleMatchRange).
struct match_bounds {
  std::string min;
  std::string max;
};

/// The bounds, or nullopt with `error` set: the pattern does not compile, or RE2 cannot bound
/// it (it starts with `.*`). Patterns are compiled as Latin-1, as the runner does.
std::optional<match_bounds> bounds_of(std::string_view pattern, std::string& error);

/// Every string within `b` starts with `prefix`.
bool only_with_prefix(const match_bounds& b, std::string_view prefix);

/// N when every string within `b` is `prefix`, decimal digits N, then the end or a byte that
/// is not a digit; nullopt otherwise.
std::optional<int> pinned_code(const match_bounds& b, std::string_view prefix);

/// The URCs a pattern with bounds `b` and source text `source` can only be (usually none or
/// one; URCs sharing a prefix are told apart by their quoted literal, E50).
std::vector<protocol::urc_id> urcs_matched(const match_bounds& b, std::string_view source);

}  // namespace bcconform::coverage::detail
