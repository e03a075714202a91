// What a line pattern can only match. RE2's PossibleMatchRange() gives bounds min <= s <= max
// for every string s the pattern matches whole; when min starts with a prefix P and max is at
// most the successor of P (P with its last byte incremented, which RE2 itself returns when it
// cuts a bound short), every s in between starts with P. That turns "this pattern covers the
// URC +QIURC: \"recv\"" and "this expect line pins error code 567" into two comparisons, and
// errs on the side of "not covered" for patterns with alternatives or case folding.
#include <re2/re2.h>

#include <string>
#include <vector>

#include "coverage_detail.hpp"

namespace bcconform::coverage::detail {
namespace {

using sv = std::string_view;

// Bounds longer than every prefix compared here; longer strings are cut by RE2 (soundly).
constexpr int bound_length = 256;

// The smallest string greater than every string that starts with `prefix`; "" when there is
// none (the prefix is all 0xFF bytes, or empty).
std::string successor(sv prefix) {
  std::string s(prefix);
  while (!s.empty() && static_cast<unsigned char>(s.back()) == 0xff) s.pop_back();
  if (!s.empty()) s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
  return s;
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// The texts between double quotes in a documented format: `+QIURC: "recv",<id>,"buff full"`
// gives "recv" and "buff full".
std::vector<std::string> quoted_literals(sv format) {
  std::vector<std::string> out;
  for (std::size_t open = format.find('"'); open != sv::npos;) {
    const std::size_t close = format.find('"', open + 1);
    if (close == sv::npos) break;
    out.emplace_back(format.substr(open + 1, close - open - 1));
    open = format.find('"', close + 1);
  }
  return out;
}

// E50: URCs that share their table prefix ("recv" and "buff full" both start
// `+QIURC: "recv",`) differ by a quoted literal of their format that the prefix lacks.
std::string distinguishing_literal(const protocol::urc_spec& u) {
  std::string lit;
  for (std::string& q : quoted_literals(u.format))
    if (u.match.find(q) == sv::npos) lit = std::move(q);
  return lit;
}

bool literal_test_passes(const protocol::urc_spec& u, sv source) {
  bool shared = false;
  for (const protocol::urc_spec& other : protocol::urcs()) {
    if (other.id == u.id || other.match != u.match) continue;
    shared = true;
    const std::string lit = distinguishing_literal(other);
    if (!lit.empty() && source.find(lit) != sv::npos) return false;  // the sibling's line
  }
  if (!shared) return true;
  const std::string own = distinguishing_literal(u);
  return own.empty() || source.find(own) != sv::npos;
}

std::string replace_references(sv text, bool quote_literals) {
  std::string out;
  for (const template_piece& p : split_template(text)) {
    if (p.variable)
      out += "(?s:.*)";
    else
      out += quote_literals ? RE2::QuoteMeta(p.text) : p.text;
  }
  return out;
}

}  // namespace

std::string exact_to_pattern(std::string_view text) {
  return replace_references(text, true);
}

std::string regex_to_pattern(std::string_view text) {
  return replace_references(text, false);
}

std::optional<match_bounds> bounds_of(std::string_view pattern, std::string& error) {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  const RE2 re(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re.ok()) {
    error = "pattern does not compile: " + re.error();
    return std::nullopt;
  }
  match_bounds b;
  if (!re.PossibleMatchRange(&b.min, &b.max, bound_length)) {
    error = "pattern matches lines of any beginning";
    return std::nullopt;
  }
  return b;
}

bool only_with_prefix(const match_bounds& b, std::string_view prefix) {
  if (!b.min.starts_with(prefix)) return false;
  const std::string next = successor(prefix);
  return next.empty() || b.max <= next;  // std::string compares bytes as unsigned char
}

std::optional<int> pinned_code(const match_bounds& b, std::string_view prefix) {
  if (!b.min.starts_with(prefix)) return std::nullopt;
  std::size_t end = prefix.size();
  while (end < b.min.size() && is_digit(b.min[end])) ++end;
  const std::size_t digits = end - prefix.size();
  if (digits == 0 || digits > 9) return std::nullopt;
  const std::string pinned = b.min.substr(0, end);
  // All of [min, max] within `pinned` and below `pinned` followed by a digit: no match can
  // continue the number.
  if (!only_with_prefix(b, pinned) || !(b.max < pinned + "0")) return std::nullopt;
  return std::stoi(pinned.substr(prefix.size()));
}

std::vector<protocol::urc_id> urcs_matched(const match_bounds& b, std::string_view source) {
  std::vector<protocol::urc_id> out;
  for (const protocol::urc_spec& u : protocol::urcs()) {
    if (!only_with_prefix(b, u.match)) continue;
    if (u.whole_line && b.min != u.match) continue;  // "RDY", not "RDY2"
    if (literal_test_passes(u, source)) out.push_back(u.id);
  }
  return out;
}

}  // namespace bcconform::coverage::detail
