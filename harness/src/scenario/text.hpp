// Checks on the text of scalar values, independent of YAML: names, durations, `${}` references,
// hex bytes. Each returns what is wrong in words a scenario author understands.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/scenario/model.hpp"

namespace bcconform::scenario::detail {

bool is_var_name(std::string_view s);     ///< [A-Za-z_][A-Za-z0-9_.-]*
bool is_id(std::string_view s);           ///< [A-Za-z0-9._-]+ (ids, tags, capabilities, hooks)
bool is_object_name(std::string_view s);  ///< [A-Za-z_][A-Za-z0-9_-]*: no '.', it prefixes .port
bool is_spec_ref(std::string_view s);     ///< "AN" SP digits ("." digits)*
bool is_erratum(std::string_view s);      ///< "E" digits
bool is_ipv4(std::string_view s);         ///< dotted quad
bool is_ip_address(std::string_view s);   ///< IPv4 or IPv6 literal

/// A duration: digits, optionally "." digits, then ms, s or m; whole milliseconds only.
struct duration_parse {
  std::optional<duration> value;
  std::string error;  ///< set when value is empty
};
duration_parse parse_duration(std::string_view s);

/// A non-negative decimal count no larger than `max`.
std::optional<std::size_t> parse_count(std::string_view s, std::size_t max);

/// The `${name}` references of a templated string, in order. `$$` is a literal `$`; any other
/// `$` not followed by `{` is itself. `error` says what is wrong with a malformed reference.
struct template_scan {
  std::vector<std::string> names;
  std::string error;
};
template_scan scan_template(std::string_view s);

/// Hex digits with optional whitespace between bytes, normalised to the digits alone.
std::optional<std::string> normalize_hex(std::string_view s, std::string& error);

/// The candidate nearest to `word` when it is a plausible misspelling, else "".
std::string closest(std::string_view word, const std::set<std::string>& candidates);

/// "a, b, c"
std::string join(const std::set<std::string>& words);

}  // namespace bcconform::scenario::detail
